"""One typed-in value of a question → its stored value, or an error code: a converter per type.

The error codes and their parameters are worded by models.cycle.answers.message.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from models.cycle.forms import Typed


def convert(q: Typed, raw: Any) -> tuple[Any, tuple | None]:
    """One raw value → (value, None) or (None, (error code, params)); blank → (None, None)."""
    kind = q.type  # type: ignore[attr-defined]
    if kind == "multi":
        picked = [v for v in (raw or []) if v]
        known = {c.value for c in q.choices or []}
        if any(v not in known for v in picked):
            return None, ("choice", {})
        return (picked or None), None
    text = str(raw or "")
    if not text.strip():
        return None, None
    if kind == "text":
        if len(text) > q.max_length:
            return None, ("length", {"n": q.max_length})
        return text.strip(), None
    return _CONVERTERS[kind](q, text.strip())


def _yesno(q: Typed, text: str) -> tuple[Any, tuple | None]:
    return (
        ({"yes": True, "no": False}[text], None) if text in ("yes", "no") else (None, ("yesno", {}))
    )


def _choice(q: Typed, text: str) -> tuple[Any, tuple | None]:
    return (text, None) if text in {c.value for c in q.choices or []} else (None, ("choice", {}))


def _number(q: Typed, text: str) -> tuple[Any, tuple | None]:
    cleaned = text.replace("\u00a0", "").replace(" ", "").replace(",", ".").replace("−", "-")
    try:
        number = float(cleaned)
    except ValueError:
        return None, ("number", {})
    if number != number or number in (float("inf"), float("-inf")):
        return None, ("number", {})
    if (q.min is not None and number < q.min) or (q.max is not None and number > q.max):
        return None, _range_code(q)
    return (int(number) if number.is_integer() else number), None


def _range_code(q: Typed) -> tuple:
    bounds = {"min": _fmt(q.min), "max": _fmt(q.max)}
    if q.min is not None and q.max is not None:
        return "range", bounds
    return ("min" if q.min is not None else "max"), bounds


def _fmt(bound: float | None) -> str:
    if bound is None:
        return ""
    return str(int(bound)) if float(bound).is_integer() else str(bound)


def _scale(q: Typed, text: str) -> tuple[Any, tuple | None]:
    bounds = {"min": _fmt(q.min), "max": _fmt(q.max)}
    try:
        level = int(text)
    except ValueError:
        return None, ("scale", bounds)
    return (level, None) if q.min <= level <= q.max else (None, ("scale", bounds))


def _date(q: Typed, text: str) -> tuple[Any, tuple | None]:
    try:
        return date.fromisoformat(text).isoformat(), None
    except ValueError:
        return None, ("date", {})


_CONVERTERS = {
    "yesno": _yesno,
    "choice": _choice,
    "number": _number,
    "scale": _scale,
    "date": _date,
}
