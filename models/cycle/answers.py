"""Answers to a questionnaire: pure conversion between what was typed and typed values, with errors.

Two shapes of an answer set:

* **raw** — exactly what the person typed, keyed by HTML field name, so that a page with
  errors comes back with every character intact and a draft can hold anything. Field names:
  the question id for plain questions (a list of values for `multi`); `<qid>__not_collected`
  ("1") for a number marked not collected; `<qid>__<row>__<column>` for table cells and
  `<qid>__rows` for a table's row count.
* **values** — what a submitted version stores and exports: `yesno` bool, `choice` str,
  `multi` list[str], `scale` int, `number` int/float or "not_collected", `text` str, `date` ISO
  "YYYY-MM-DD", `table` list of {column: value} (blank rows dropped); unanswered questions are
  None.

`check(form, raw, lang=…, final=…)` returns the values and a dict of field name → message in the
person's language. A draft (`final=False`) skips "required" and `min_rows`; a submission does not.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from models.cycle.answer_types import convert
from models.cycle.forms import Form, Question
from models.plaintext import printable

NOT_COLLECTED = "not_collected"
SEP = "__"
Raw = dict[str, Any]

MESSAGES = {
    "required": ("Svara på frågan.", "Answer this question."),
    "yesno": ("Välj ja eller nej.", "Choose yes or no."),
    "choice": ("Välj ett av alternativen.", "Choose one of the options."),
    "number": ("Ange ett tal, till exempel 12.", "Enter a number, for example 12."),
    "range": ("Ange ett tal från {min} till {max}.", "Enter a number from {min} to {max}."),
    "min": ("Ange ett tal som är {min} eller större.", "Enter a number of {min} or more."),
    "max": ("Ange ett tal som är {max} eller mindre.", "Enter a number of {max} or less."),
    "scale": ("Välj ett värde från {min} till {max}.", "Choose a value from {min} to {max}."),
    "date": (
        "Ange ett datum som ÅÅÅÅ-MM-DD, till exempel 2026-03-31.",
        "Enter a date as YYYY-MM-DD, for example 2026-03-31.",
    ),
    "length": ("Texten får vara högst {n} tecken.", "The text may be at most {n} characters."),
    "both": (
        "Ange antingen ett antal eller markera ”inte insamlad”, inte båda.",
        "Enter either a number or tick “not collected”, not both.",
    ),
    "min_rows": ("Fyll i minst {n} rader.", "Fill in at least {n} rows."),
    "max_rows": ("Högst {n} rader får fyllas i.", "At most {n} rows can be filled in."),
}


def message(code: str, lang: str, **params: Any) -> str:
    """The text of error `code` in `lang` ("sv" or "en")."""
    sv, en = MESSAGES[code]
    return (en if lang == "en" else sv).format(**params)


def cell_name(qid: str, row: int, column: str) -> str:
    """The field name of one table cell."""
    return f"{qid}{SEP}{row}{SEP}{column}"


def rows_name(qid: str) -> str:
    """The field name holding a table's row count."""
    return f"{qid}{SEP}rows"


def not_collected_name(qid: str) -> str:
    """The field name of a number question's "not collected" box."""
    return f"{qid}{SEP}{NOT_COLLECTED}"


@dataclass
class Checked:
    """The outcome of checking raw answers."""

    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def row_count(question: Question, raw: Raw) -> int:
    """How many rows a table shows: the stored count, at least `min_rows` and at least one."""
    try:
        stored = int(raw.get(rows_name(question.id), 0))
    except (TypeError, ValueError):
        stored = 0
    return max(1, question.min_rows, min(stored, question.max_rows))


def raw_from_post(form: Form, getlist: Callable[[str], list[str]]) -> Raw:
    """Collect the known fields of a posted form (unknown names are ignored)."""
    raw: Raw = {}
    for q in form.questions:
        if q.type == "multi":
            raw[q.id] = [printable(v) for v in getlist(q.id) if isinstance(v, str)]
        elif q.type == "table":
            count = min(_int(_first(getlist(rows_name(q.id)))), q.max_rows)
            raw[rows_name(q.id)] = str(count)
            for row in range(count):
                for col in q.columns or []:
                    raw[cell_name(q.id, row, col.id)] = _first(
                        getlist(cell_name(q.id, row, col.id))
                    )
        else:
            raw[q.id] = _first(getlist(q.id))
            if q.not_collected:
                raw[not_collected_name(q.id)] = _first(getlist(not_collected_name(q.id)))
    return raw


def _first(values: list[str]) -> str:
    return printable(values[0]) if values and isinstance(values[0], str) else ""


def _int(text: str) -> int:
    try:
        return max(0, int(text))
    except ValueError:
        return 0


def check(form: Form, raw: Raw, *, lang: str = "sv", final: bool = True) -> Checked:
    """Convert raw answers to values, collecting a message per field that is wrong."""
    out = Checked()
    for q in form.questions:
        if q.type == "table":
            out.values[q.id] = _check_table(q, raw, out.errors, lang, final)
            continue
        value, code = _check_number_box(q, raw) if q.not_collected else convert(q, raw.get(q.id))
        if code is None and value is None and final and q.required:
            code = ("required", {})
        if code:
            out.errors[q.id] = message(code[0], lang, **code[1])
        out.values[q.id] = None if code else value
    return out


def _check_number_box(q: Question, raw: Raw) -> tuple[Any, tuple | None]:
    ticked = bool(raw.get(not_collected_name(q.id)))
    typed = str(raw.get(q.id) or "").strip()
    if ticked and typed:
        return None, ("both", {})
    if ticked:
        return NOT_COLLECTED, None
    return convert(q, typed)


def _check_table(q: Question, raw: Raw, errors: dict, lang: str, final: bool) -> list[dict]:
    rows = []
    for row in range(row_count(q, raw)):
        cells = {c.id: raw.get(cell_name(q.id, row, c.id)) for c in q.columns or []}
        if all(not str(v or "").strip() for v in cells.values()):
            continue
        values = {}
        for col in q.columns or []:
            value, code = convert(col, cells[col.id])
            if code is None and value is None and col.required:
                code = ("required", {})
            if code:
                errors[cell_name(q.id, row, col.id)] = message(code[0], lang, **code[1])
            values[col.id] = value
        rows.append(values)
    if final and len(rows) < max(q.min_rows, 1 if q.required else 0):
        errors[q.id] = message("min_rows", lang, n=max(q.min_rows, 1))
    if len(rows) > q.max_rows:
        errors[q.id] = message("max_rows", lang, n=q.max_rows)
    return rows


def raw_from_values(form: Form, values: dict[str, Any]) -> Raw:
    """The raw (typed-in) shape of stored values, to show a submitted version in the form again."""
    raw: Raw = {}
    for q in form.questions:
        value = values.get(q.id)
        if q.type == "table":
            rows = value or []
            raw[rows_name(q.id)] = str(len(rows))
            for index, row in enumerate(rows):
                for col in q.columns or []:
                    raw[cell_name(q.id, index, col.id)] = _to_raw(row.get(col.id))
        elif q.type == "multi":
            raw[q.id] = list(value or [])
        elif value == NOT_COLLECTED and q.not_collected:
            raw[q.id], raw[not_collected_name(q.id)] = "", "1"
        else:
            raw[q.id] = _to_raw(value)
    return raw


def _to_raw(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def add_row(question: Question, raw: Raw) -> Raw:
    """Raw answers with one more (blank) row in a table, up to `max_rows`."""
    count = min(row_count(question, raw) + 1, question.max_rows)
    return {**raw, rows_name(question.id): str(count)}


def remove_row(question: Question, raw: Raw, index: int) -> Raw:
    """Raw answers without row `index` of a table; later rows move up one."""
    count = row_count(question, raw)
    if not 0 <= index < count:
        return raw
    out = {k: v for k, v in raw.items() if not k.startswith(question.id + SEP)}
    target = 0
    for row in range(count):
        if row == index:
            continue
        for col in question.columns or []:
            out[cell_name(question.id, target, col.id)] = raw.get(
                cell_name(question.id, row, col.id), ""
            )
        target += 1
    out[rows_name(question.id)] = str(max(target, 0))
    return out
