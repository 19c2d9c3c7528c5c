"""The year drawn as a wheel: twelve months around a circle, each step an arc over its window.

Pure SVG from plain data (no plotting service): one ring per step, arcs coloured by phase, the
months named in Swedish (or English), and today marked with a radial line.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass
from datetime import date
from html import escape

from models.i18n import N_, gettext

PHASE_COLOURS = {
    "identifiera": "#2e86c1",
    "utforma": "#28b463",
    "anvanda": "#f39c12",
    "folja-upp": "#8e44ad",
}
PHASE_NAMES = {
    "identifiera": N_("Identifiera och analysera"),
    "utforma": N_("Utforma och planera"),
    "anvanda": N_("Använda och genomföra"),
    "folja-upp": N_("Följa upp och förbättra"),
}


def month_names(lang: str) -> list[str]:
    """January to December as the language writes them ("januari", "January")."""
    from babel.dates import get_month_names

    names = get_month_names("wide", locale="en_GB" if lang == "en" else "sv_SE")
    return [names[month] for month in range(1, 13)]


@dataclass(frozen=True)
class WheelStep:
    """One occurrence of a step: the ring it belongs to (step id), its title and window."""

    step_id: str
    title: str
    phase: str
    opens: date
    due: date


def _angle(day: date, year: int) -> float:
    """Degrees clockwise from 12 o'clock; days outside the year are clamped to its edges."""
    start, end = date(year, 1, 1), date(year + 1, 1, 1)
    day = min(max(day, start), end)
    return 360.0 * (day - start).days / (end - start).days


def _point(cx: float, cy: float, r: float, degrees: float) -> tuple[float, float]:
    rad = math.radians(degrees - 90)
    return cx + r * math.cos(rad), cy + r * math.sin(rad)


def _arc(cx, cy, r, a0, a1) -> str:
    a1 = max(a1, a0 + 1.5)  # a one-day step is still visible
    x0, y0 = _point(cx, cy, r, a0)
    x1, y1 = _point(cx, cy, r, a1)
    large = 1 if a1 - a0 > 180 else 0
    return f"M {x0:.1f} {y0:.1f} A {r:.1f} {r:.1f} 0 {large} 1 {x1:.1f} {y1:.1f}"


@dataclass(frozen=True)
class Layout:
    """Where things go: the wheel grows with the number of rings so that none is thinner than
    MIN_RING; the legend sits to the right and the canvas grows to hold it."""

    rings: int
    ring: float
    outer: float
    inner: float
    cx: float
    cy: float

    @classmethod
    def for_rings(cls, count: int) -> Layout:
        count = max(count, 1)
        ring = min(MAX_RING, max(MIN_RING, (300 - 26 - HUB) / count - GAP))
        outer = max(300.0, 26 + HUB + count * (ring + GAP))
        return cls(count, ring, outer, outer - 26 - count * (ring + GAP), outer + 40, outer + 85)

    def radius(self, index: int) -> float:
        """The middle of ring `index` (0 is the outermost)."""
        return self.outer - 30 - index * (self.ring + GAP) - self.ring / 2


#: the hub's radius (year and today's date), the thinnest and thickest ring, the gap between rings
HUB, MIN_RING, MAX_RING, GAP = 90, 10.0, 18.0, 2.0
LEGEND_CHARS, LEGEND_LINE = 44, 15
#: the next year's parts: the first track's distance outside the wheel, and between tracks
NEXT_YEAR, NEXT_TRACK = 8, 6


def draw_wheel(
    steps: list[WheelStep],
    year: int,
    *,
    today: date | None = None,
    lang: str = "sv",
    title: str | None = None,
) -> str:
    """The SVG of the year's wheel; `today` (when in `year`) is marked. A window reaching past
    New Year is drawn on the months it really lies in: its part in the next year as a dashed arc
    outside the wheel, labelled with that year."""
    rings = list(dict.fromkeys(s.step_id for s in steps))
    lay = Layout.for_rings(len(rings))
    legend, legend_bottom = _legend(rings, steps, lang, lay.cx + lay.outer + 50)
    width = int(lay.cx + lay.outer + 50 + LEGEND_CHARS * 6.6 + 20)
    height = int(max(2 * lay.outer + 125, legend_bottom + 20))
    heading = escape(title or f"Årshjul {year}")
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans, Arial, sans-serif" role="img">',
        f"<title>{heading}</title>",
        f'<text x="{lay.cx}" y="30" font-size="20" text-anchor="middle" '
        f'font-weight="bold">{heading}</text>',
    ]
    out += _months(lay.cx, lay.cy, lay.outer, lay.inner, year, lang)
    later: list[float] = []  # angles of the parts drawn in the next year, one track each
    for index, step_id in enumerate(rings):
        own = [s for s in steps if s.step_id == step_id]
        for step in own:
            out += _step_arcs(step, year, lay, lay.radius(index), later)
        out.append(_number(min(own, key=lambda s: s.opens), index, year, lay))
    if later:
        tx, ty = _point(lay.cx, lay.cy, lay.outer + NEXT_YEAR + NEXT_TRACK * len(later) + 6,
                        later[0])
        out.append(f'<text class="next-year" x="{tx:.1f}" y="{ty:.1f}" font-size="11" '
                   f'fill="#566573" text-anchor="middle">{year + 1}</text>')
    if today is not None and today.year == year:
        out += _today(lay.cx, lay.cy, lay.outer, lay.inner, _angle(today, year), today, lang)
    out += legend
    out.append("</svg>")
    return "\n".join(out)


def _step_arcs(step: WheelStep, year: int, lay: Layout, r: float, later: list) -> list[str]:
    colour = PHASE_COLOURS.get(step.phase, "#7f8c8d")
    tip = f"<title>{escape(step.title)}: {step.opens} – {step.due}</title>"
    out = []
    end_of_year = date(year, 12, 31)
    if step.opens <= end_of_year:
        path = _arc(lay.cx, lay.cy, r, _angle(step.opens, year), _angle(step.due, year))
        out.append(f'<path d="{path}" stroke="{colour}" stroke-width="{lay.ring:.1f}" '
                   f'fill="none" stroke-linecap="butt">{tip}</path>')
    if step.due > end_of_year:  # the part in the next year, on that year's own months
        start = max(step.opens, date(year + 1, 1, 1))
        a0, a1 = _angle(start, year + 1), _angle(step.due, year + 1)
        path = _arc(lay.cx, lay.cy, lay.outer + NEXT_YEAR + NEXT_TRACK * len(later), a0, a1)
        later.append((a0 + a1) / 2)
        out.append(f'<path class="next-year" d="{path}" stroke="{colour}" stroke-width="4" '
                   f'stroke-dasharray="5 3" fill="none">{tip}</path>')
    return out


def _number(first: WheelStep, index: int, year: int, lay: Layout) -> str:
    """The ring's number at the start of its first window, small enough for the ring."""
    r = lay.radius(index)
    on_wheel = first.opens.year == year
    angle = _angle(first.opens, year) if on_wheel else 0.0
    size = min(10.0, lay.ring - 1)
    lx, ly = _point(lay.cx, lay.cy, r, angle + 3)
    return (f'<text x="{lx:.1f}" y="{ly + size / 2.6:.1f}" font-size="{size:.1f}" fill="#fff" '
            f'text-anchor="middle" font-weight="bold">{index + 1}</text>')


def _months(cx, cy, outer, inner, year, lang) -> list[str]:
    out = [
        f'<circle cx="{cx}" cy="{cy}" r="{outer}" fill="#fbfcfc" stroke="#566573"/>',
        f'<circle cx="{cx}" cy="{cy}" r="{inner - 4}" fill="#fff" stroke="#d5d8dc"/>',
    ]
    names = month_names(lang)
    for month in range(12):
        a0 = _angle(date(year, month + 1, 1), year)
        a1 = (
            _angle(date(year + (month == 11), month % 12 + 2 if month < 11 else 1, 1), year)
            if month < 11
            else 360.0
        )
        x0, y0 = _point(cx, cy, inner - 4, a0)
        x1, y1 = _point(cx, cy, outer, a0)
        out.append(
            f'<line x1="{x0:.1f}" y1="{y0:.1f}" x2="{x1:.1f}" y2="{y1:.1f}" stroke="#d5d8dc"/>'
        )
        mid = (a0 + a1) / 2
        tx, ty = _point(cx, cy, outer - 13, mid)
        rotate = mid if 90 >= mid or mid >= 270 else mid - 180
        out.append(
            f'<text x="{tx:.1f}" y="{ty:.1f}" font-size="12" text-anchor="middle" '
            f'dominant-baseline="middle" transform="rotate({rotate:.1f} {tx:.1f} {ty:.1f})">'
            f"{names[month]}</text>"
        )
    out.append(
        f'<text x="{cx}" y="{cy + 8}" font-size="28" text-anchor="middle" '
        f'font-weight="bold" fill="#566573">{year}</text>'
    )
    return out


def _today(cx, cy, outer, inner, angle, today, lang) -> list[str]:
    x0, y0 = _point(cx, cy, inner - 4, angle)
    x1, y1 = _point(cx, cy, outer + 12, angle)
    label = gettext("Idag {day}", lang, day=today.isoformat())
    return [
        f'<line id="today" x1="{x0:.1f}" y1="{y0:.1f}" x2="{x1:.1f}" y2="{y1:.1f}" '
        f'stroke="#c0392b" stroke-width="3"/>',
        f'<circle cx="{x1:.1f}" cy="{y1:.1f}" r="5" fill="#c0392b"/>',
        f'<text x="{cx}" y="{cy + 34}" font-size="13" text-anchor="middle" '
        f'fill="#c0392b">{label}</text>',
    ]


def _legend(rings, steps, lang, x) -> tuple[list[str], float]:
    """The phases and the numbered steps, titles wrapped (never cut); returns (svg, bottom y)."""
    out, y = [], 70.0
    for phase, colour in PHASE_COLOURS.items():
        out.append(f'<rect x="{x}" y="{y - 10}" width="14" height="14" fill="{colour}"/>')
        out.append(
            f'<text x="{x + 20}" y="{y + 2}" font-size="12">'
            f"{escape(gettext(PHASE_NAMES[phase], lang))}</text>"
        )
        y += 20
    y += 12
    for index, step_id in enumerate(rings):
        step = next(s for s in steps if s.step_id == step_id)
        lines = textwrap.wrap(step.title, LEGEND_CHARS) or [""]
        spans = "".join(f'<tspan x="{x + 22}" dy="{0 if n == 0 else LEGEND_LINE}">'
                        f"{escape(line)}</tspan>" for n, line in enumerate(lines))
        out.append(f'<text x="{x}" y="{y}" font-size="11" class="legend-step">'
                   f'<tspan font-weight="bold">{index + 1}</tspan>{spans}</text>')
        y += LEGEND_LINE * len(lines) + 3
    return out, y


def steps_for_year(year: int, *, session, lang: str = "sv", wheel_path=None) -> list[WheelStep]:
    """The planned step instances of `year`, or the wheel file's dates when it is not planned."""
    from sqlmodel import select

    from models.cycle.tables import StepInstance

    rows = session.exec(
        select(StepInstance).where(StepInstance.year == year, StepInstance.retired_at.is_(None))
    ).all()
    return wheel_steps(rows if wheel_path is None else [], year, lang, wheel_path)


def wheel_steps(rows, year: int, lang: str = "sv", wheel_path=None) -> list[WheelStep]:
    """The wheel's steps from the year's active step instances `rows` (already read), or from
    the wheel file's dates when there are none."""
    from models.cycle.wheel import instances, load_wheel

    if rows:
        steps = [
            WheelStep(
                r.step_id, r.title_en if lang == "en" else r.title_sv, r.phase, r.opens, r.due
            )
            for r in rows
        ]
    else:
        steps = [
            WheelStep(d.spec.id, d.spec.title.get(lang), d.spec.phase, d.opens, d.due)
            for spec in load_wheel(wheel_path).steps
            for d in instances(spec, year)
        ]
    return sorted(steps, key=lambda s: (s.opens, s.step_id))


def markdown_image(svg: str, alt: str = "Årshjul") -> str:
    """The SVG as a Markdown image with a data URI (for Prefect markdown artifacts)."""
    import base64

    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return f"![{alt}](data:image/svg+xml;base64,{data})"
