"""The drawn wheel: pure SVG from dated steps."""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ET
from datetime import date

from models.cycle.draw import PHASE_COLOURS, WheelStep, _angle, draw_wheel, markdown_image
from models.cycle.wheel import instances, load_wheel

SVG = "{http://www.w3.org/2000/svg}"


def _default_steps(year: int) -> list[WheelStep]:
    return [
        WheelStep(d.spec.id, d.spec.title.sv, d.spec.phase, d.opens, d.due)
        for spec in load_wheel().steps
        for d in instances(spec, year)
    ]


def test_angles_run_clockwise_from_january_at_twelve():
    assert _angle(date(2027, 1, 1), 2027) == 0
    assert round(_angle(date(2027, 7, 2), 2027)) == 180
    # a window reaching into next year (the annual report, due +1:01-31) stops at the year's end
    assert _angle(date(2028, 1, 31), 2027) == 360


def test_one_arc_per_step_instance_coloured_by_phase():
    steps = _default_steps(2027)
    root = ET.fromstring(draw_wheel(steps, 2027))
    arcs = root.findall(f"{SVG}path")
    assert len(steps) == 21 and len(arcs) == 22
    # the fourth quarter's incident statistics (January next year), the annual report's January
    # part and the boards' data-protection decisions (+1:01-10 to +1:03-31) are drawn on next
    # year's months, outside this year's rings
    assert [a.get("class") for a in arcs].count("next-year") == 3
    colours = {a.get("stroke") for a in arcs}
    assert colours == set(PHASE_COLOURS.values())
    months = [t.text for t in root.iter(f"{SVG}text") if t.text in ("januari", "juni", "december")]
    assert months == ["januari", "juni", "december"]
    tooltips = [a.find(f"{SVG}title").text for a in arcs]
    assert "Riskanalys: 2027-09-01 – 2027-11-15" in tooltips


def test_today_is_marked_only_inside_the_year():
    steps = _default_steps(2027)
    marked = draw_wheel(steps, 2027, today=date(2027, 10, 5))
    assert 'id="today"' in marked and "Idag 2027-10-05" in marked
    assert 'id="today"' not in draw_wheel(steps, 2027, today=date(2028, 1, 5))
    english = draw_wheel(steps, 2027, today=date(2027, 10, 5), lang="en")
    assert "Today 2027-10-05" in english and ">October</text>" in english


def test_markdown_image_carries_the_svg():
    svg = draw_wheel(_default_steps(2027), 2027)
    image = markdown_image(svg)
    data = re.match(r"!\[Årshjul\]\(data:image/svg\+xml;base64,(.+)\)$", image)[1]
    assert base64.b64decode(data).decode("utf-8") == svg


def _many(count: int, year: int = 2027) -> list[WheelStep]:
    phases = list(PHASE_COLOURS)
    return [WheelStep(f"steg-{n}", f"Steg {n + 1}: uppföljning av informationssäkerhetsutbildningen "
                      f"för förvaltningens alla medarbetare", phases[n % 4],
                      date(year, 1 + n % 12, 3), date(year, 1 + n % 12, 20))
            for n in range(count)]


def _bounds_ok(root) -> None:
    width, height = float(root.get("width")), float(root.get("height"))
    for text in root.iter(f"{SVG}text"):
        words = "".join(text.itertext())
        size = float(text.get("font-size", 12))
        x, y = float(text.get("x")), float(text.get("y"))
        lines = [t for t in text.findall(f"{SVG}tspan") if t.get("dy") is not None]
        longest = max([len(t.text or "") for t in lines] or [len(words)])
        right = x + (longest + 3) * size * 0.62 if text.get("text-anchor") != "middle" else x
        bottom = y + sum(float(t.get("dy")) for t in lines)
        assert right <= width and bottom <= height and x >= 0 and y >= 0, words


def test_nothing_cut_or_overlapping_up_to_twenty_steps():
    for count in (1, 5, 12, 15, 20):
        steps = _many(count)
        root = ET.fromstring(draw_wheel(steps, 2027))
        _bounds_ok(root)
        legend = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")
                  if t.get("class") == "legend-step"]
        assert len(legend) == count and not any("…" in t for t in legend)
        for step, text in zip(steps, legend, strict=True):  # every title in full
            assert " ".join(text.split()).endswith(step.title.replace("  ", " ")[-30:])
        # the rings do not overlap and their numbers fit inside them
        arcs = root.findall(f"{SVG}path")
        widths = {float(a.get("stroke-width")) for a in arcs}
        radii = sorted({float(re.search(r"A ([\d.]+)", a.get("d"))[1]) for a in arcs})
        assert all(b - a >= max(widths) for a, b in zip(radii, radii[1:], strict=False))
        numbers = [t for t in root.iter(f"{SVG}text") if (t.text or "").isdigit()
                   and t.get("fill") == "#fff"]
        assert len(numbers) == count
        assert all(float(n.get("font-size")) <= max(widths) for n in numbers)


def test_a_window_in_january_next_year_is_drawn_on_next_years_months():
    steps = [WheelStep("arsrapport", "Årsrapport", "folja-upp", date(2028, 1, 3),
                       date(2028, 1, 31))]
    root = ET.fromstring(draw_wheel(steps, 2027))
    (arc,) = root.findall(f"{SVG}path")
    assert arc.get("class") == "next-year" and arc.get("stroke-dasharray")
    _bounds_ok(root)
    outer = max(float(c.get("r")) for c in root.iter(f"{SVG}circle"))
    assert float(re.search(r"A ([\d.]+)", arc.get("d"))[1]) > outer  # outside this year's rings
    assert "2028" in [t.text for t in root.iter(f"{SVG}text")]
