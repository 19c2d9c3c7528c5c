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
    assert len(arcs) == len(steps) == 21
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
