"""The year drawn as a wheel: twelve months around a circle, each step an arc over its window.

Pure SVG from plain data (no plotting service): one ring per step, arcs coloured by phase, the
months named in Swedish (or English), and today marked with a radial line.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from html import escape

MONTHS = {
    "sv": [
        "januari",
        "februari",
        "mars",
        "april",
        "maj",
        "juni",
        "juli",
        "augusti",
        "september",
        "oktober",
        "november",
        "december",
    ],
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
}
PHASE_COLOURS = {
    "identifiera": "#2e86c1",
    "utforma": "#28b463",
    "anvanda": "#f39c12",
    "folja-upp": "#8e44ad",
}
PHASE_NAMES = {
    "sv": {
        "identifiera": "Identifiera och analysera",
        "utforma": "Utforma och planera",
        "anvanda": "Använda och genomföra",
        "folja-upp": "Följa upp och förbättra",
    },
    "en": {
        "identifiera": "Identify and analyse",
        "utforma": "Design and plan",
        "anvanda": "Use and implement",
        "folja-upp": "Follow up and improve",
    },
}


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


def draw_wheel(
    steps: list[WheelStep],
    year: int,
    *,
    today: date | None = None,
    lang: str = "sv",
    title: str | None = None,
) -> str:
    """The SVG of the year's wheel; `today` (when in `year`) is marked."""
    rings = list(dict.fromkeys(s.step_id for s in steps))
    size, cx, cy = 900, 330, 360
    outer = 300
    inner = max(outer - 26 - 17 * len(rings), 60)
    width = max(16, (outer - 26 - inner) / max(len(rings), 1) - 3)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="720" '
        f'viewBox="0 0 {size} 720" font-family="DejaVu Sans, Arial, sans-serif" role="img">',
        f"<title>{escape(title or f'Årshjul {year}')}</title>",
        f'<text x="{cx}" y="30" font-size="20" text-anchor="middle" '
        f'font-weight="bold">{escape(title or f"Årshjul {year}")}</text>',
    ]
    out += _months(cx, cy, outer, inner, year, lang)
    for index, step_id in enumerate(rings):
        r = outer - 30 - index * (width + 3) - width / 2
        for step in (s for s in steps if s.step_id == step_id):
            colour = PHASE_COLOURS.get(step.phase, "#7f8c8d")
            path = _arc(cx, cy, r, _angle(step.opens, year), _angle(step.due, year))
            out.append(
                f'<path d="{path}" stroke="{colour}" stroke-width="{width:.1f}" fill="none" '
                f'stroke-linecap="butt"><title>{escape(step.title)}: {step.opens} – '
                f"{step.due}</title></path>"
            )
        first = min((s for s in steps if s.step_id == step_id), key=lambda s: s.opens)
        lx, ly = _point(cx, cy, r, _angle(first.opens, year) + 2)
        out.append(
            f'<text x="{lx:.1f}" y="{ly + 4:.1f}" font-size="10" fill="#fff" '
            f'font-weight="bold">{index + 1}</text>'
        )
    if today is not None and today.year == year:
        out += _today(cx, cy, outer, inner, _angle(today, year), today, lang)
    out += _legend(rings, steps, lang)
    out.append("</svg>")
    return "\n".join(out)


def _months(cx, cy, outer, inner, year, lang) -> list[str]:
    out = [
        f'<circle cx="{cx}" cy="{cy}" r="{outer}" fill="#fbfcfc" stroke="#566573"/>',
        f'<circle cx="{cx}" cy="{cy}" r="{inner - 4}" fill="#fff" stroke="#d5d8dc"/>',
    ]
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
            f"{MONTHS[lang][month]}</text>"
        )
    out.append(
        f'<text x="{cx}" y="{cy + 8}" font-size="28" text-anchor="middle" '
        f'font-weight="bold" fill="#566573">{year}</text>'
    )
    return out


def _today(cx, cy, outer, inner, angle, today, lang) -> list[str]:
    x0, y0 = _point(cx, cy, inner - 4, angle)
    x1, y1 = _point(cx, cy, outer + 12, angle)
    label = ("Idag " if lang == "sv" else "Today ") + today.isoformat()
    return [
        f'<line id="today" x1="{x0:.1f}" y1="{y0:.1f}" x2="{x1:.1f}" y2="{y1:.1f}" '
        f'stroke="#c0392b" stroke-width="3"/>',
        f'<circle cx="{x1:.1f}" cy="{y1:.1f}" r="5" fill="#c0392b"/>',
        f'<text x="{cx}" y="{cy + 34}" font-size="13" text-anchor="middle" '
        f'fill="#c0392b">{label}</text>',
    ]


def _legend(rings, steps, lang) -> list[str]:
    out, x, y = [], 660, 70
    for phase, colour in PHASE_COLOURS.items():
        out.append(f'<rect x="{x}" y="{y - 10}" width="14" height="14" fill="{colour}"/>')
        out.append(
            f'<text x="{x + 20}" y="{y + 2}" font-size="12">'
            f"{escape(PHASE_NAMES[lang][phase])}</text>"
        )
        y += 20
    y += 12
    for index, step_id in enumerate(rings):
        step = next(s for s in steps if s.step_id == step_id)
        out.append(
            f'<text x="{x}" y="{y}" font-size="11"><tspan font-weight="bold">{index + 1}'
            f"</tspan> {escape(_clip(step.title, 30))}</text>"
        )
        y += 17
    return out


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def steps_for_year(year: int, *, session, lang: str = "sv", wheel_path=None) -> list[WheelStep]:
    """The planned step instances of `year`, or the wheel file's dates when it is not planned."""
    from sqlmodel import select

    from models.cycle.tables import StepInstance
    from models.cycle.wheel import instances, load_wheel

    rows = session.exec(
        select(StepInstance).where(StepInstance.year == year, StepInstance.retired_at.is_(None))
    ).all()
    if rows and wheel_path is None:
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
