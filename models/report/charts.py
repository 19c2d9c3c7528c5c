"""Pure SVG charts for the report: grouped bars and the likelihood × consequence matrix."""

from __future__ import annotations

from html import escape

PREVIOUS = "#9db4c0"
CURRENT = "#1f5f8b"
TARGET = "#c0392b"


def bar_chart(
    labels: list[str],
    series: list[tuple[str, list[float | None]]],
    *,
    maximum: float,
    target: float | None = None,
    width: int = 640,
) -> str:
    """Horizontal grouped bars: one group per label, one bar per series (e.g. two years)."""
    colours = [PREVIOUS, CURRENT][-len(series) :] if len(series) <= 2 else [CURRENT] * len(series)
    wrapped = [_wrap(label, LINE_CHARS) for label in labels]
    lines = max((len(w) for w in wrapped), default=1)
    # the labels' column is as wide as the longest line (nothing cut); the plot keeps its width
    left = 12 + max((len(line) for w in wrapped for line in w), default=0) * CHAR_WIDTH
    left = int(max(left, 120))
    bar, gap = 12, 10
    group = max(bar * len(series) + gap, LINE_HEIGHT * lines + 6)
    top = 30
    height = top + group * len(labels) + 30
    plot = max(width - 250, 200)
    width = left + plot + 20
    scale = plot / maximum if maximum else 0
    out = [_open(width, height)]
    for index, (name, _values) in enumerate(series):
        x = left + index * 110
        out.append(f'<rect x="{x}" y="6" width="12" height="12" fill="{colours[index]}"/>')
        out.append(f'<text x="{x + 16}" y="16" font-size="12">{escape(name)}</text>')
    for row, label in enumerate(labels):
        y = top + row * group
        first = y + group / 2 - (len(wrapped[row]) - 1) * LINE_HEIGHT / 2 + 4
        spans = "".join(
            f'<tspan x="{left - 6}" y="{first + n * LINE_HEIGHT:.1f}">{escape(line)}</tspan>'
            for n, line in enumerate(wrapped[row]))
        out.append(f'<text font-size="11" text-anchor="end">{spans}</text>')
        for index, (_name, values) in enumerate(series):
            value = values[row]
            if value is None:
                continue
            w = max(value * scale, 1.5)
            out.append(
                f'<rect x="{left}" y="{y + index * bar}" width="{w:.1f}" height="{bar - 2}" '
                f'fill="{colours[index]}"><title>{escape(label)}: {value:g}</title></rect>'
            )
    out.append(_axis(left, plot, top, height - 30, maximum, scale))
    if target is not None:
        x = left + target * scale
        out.append(
            f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 30}" '
            f'stroke="{TARGET}" stroke-dasharray="4 3"/>'
        )
    out.append("</svg>")
    return "\n".join(out)


def _axis(left: int, plot: float, top: int, bottom: int, maximum: float, scale: float) -> str:
    parts = [f'<line x1="{left}" y1="{top - 4}" x2="{left}" y2="{bottom}" stroke="#333"/>']
    for tick in range(int(maximum) + 1):
        x = left + tick * scale
        parts.append(
            f'<line x1="{x:.1f}" y1="{bottom}" x2="{x:.1f}" y2="{bottom + 4}" stroke="#333"/>'
        )
        parts.append(
            f'<text x="{x:.1f}" y="{bottom + 16}" font-size="11" text-anchor="middle">{tick}</text>'
        )
    return "\n".join(parts)


def risk_matrix(counts: dict[tuple[int, int], int], *, x_label: str, y_label: str) -> str:
    """A 4 × 4 grid: likelihood (x) × consequence (y), each cell the number of risks."""
    cell, left, top = 56, 70, 20
    size = cell * 4
    out = [_open(left + size + 20, top + size + 60)]
    for likelihood in range(1, 5):
        for consequence in range(1, 5):
            x = left + (likelihood - 1) * cell
            y = top + (4 - consequence) * cell
            n = counts.get((likelihood, consequence), 0)
            out.append(
                f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" '
                f'fill="{_heat(likelihood * consequence)}" stroke="#fff"/>'
            )
            if n:
                out.append(
                    f'<text x="{x + cell / 2}" y="{y + cell / 2 + 6}" font-size="18" '
                    f'text-anchor="middle" font-weight="bold">{n}</text>'
                )
    for i in range(1, 5):
        out.append(
            f'<text x="{left + (i - 0.5) * cell}" y="{top + size + 16}" font-size="12" '
            f'text-anchor="middle">{i}</text>'
        )
        out.append(
            f'<text x="{left - 10}" y="{top + (4.5 - i) * cell + 4}" font-size="12" '
            f'text-anchor="end">{i}</text>'
        )
    out.append(
        f'<text x="{left + size / 2}" y="{top + size + 40}" font-size="12" '
        f'text-anchor="middle">{escape(x_label)}</text>'
    )
    out.append(
        f'<text x="16" y="{top + size / 2}" font-size="12" text-anchor="middle" '
        f'transform="rotate(-90 16 {top + size / 2})">{escape(y_label)}</text>'
    )
    out.append("</svg>")
    return "\n".join(out)


def _heat(score: int) -> str:
    if score >= 12:
        return "#e74c3c"
    if score >= 8:
        return "#f39c12"
    if score >= 4:
        return "#f7dc6f"
    return "#abebc6"


def _open(width: float, height: float) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans, Arial, sans-serif" '
        f'role="img">'
    )


#: a label's lines: at most this many characters each, at 11 px about this wide per character
LINE_CHARS, CHAR_WIDTH, LINE_HEIGHT = 32, 7.0, 13


def _wrap(text: str, limit: int) -> list[str]:
    """`text` on lines of at most `limit` characters, broken between words (a longer word
    keeps its own line: the label column widens for it rather than cutting it)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= limit:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]
