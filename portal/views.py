"""View models of a form page: each question with its field ids, typed-in values and errors.

Templates only lay these out; every id, label and error link is decided here, so the accessibility
wiring (label ↔ input, fieldset ↔ legend, error summary ↔ field) is testable without a browser.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from models.cycle.answers import (
    NOT_COLLECTED,
    Raw,
    cell_name,
    not_collected_name,
    row_count,
    rows_name,
)
from models.cycle.forms import Form, Question, Typed
from portal.texts import text


def field_id(name: str) -> str:
    """The HTML id of the input with field name `name`."""
    return "f-" + name


@dataclass
class Option:
    value: str
    label: str
    id: str
    checked: bool


@dataclass
class FieldView:
    """One input (or group of radios/checkboxes) with its label, value and error."""

    name: str
    id: str
    type: str
    label: str
    value: Any
    required: bool
    error: str | None = None
    help: str | None = None
    hint: str | None = None
    options: list[Option] = field(default_factory=list)
    multiline: bool = False
    nc_name: str | None = None
    nc_checked: bool = False

    @property
    def first_id(self) -> str:
        """Where an error summary link should jump: the first radio/checkbox or the input."""
        return self.options[0].id if self.options and self.type != "select" else self.id

    # Plain properties, not functools.cached_property: on Python 3.11 that takes one lock shared
    # by every instance, which page threads contended for (≈ 10 % of a form page's CPU).
    @property
    def aria(self) -> Markup:
        """` aria-describedby="…" aria-invalid="true"` as needed (rendered for every input)."""
        if not (self.help or self.hint or self.error):
            return _NO_ARIA
        out = Markup(' aria-describedby="') + self.described_by + Markup('"')
        return out + _INVALID if self.error else out

    @property
    def described_by(self) -> str:
        """The ids of this field's hint and error message, space-separated ("" when none)."""
        parts = []
        if self.help or self.hint:
            parts.append(f"h-{self.name}")
        if self.error:
            parts.append(f"e-{self.name}")
        return " ".join(parts)


_NO_ARIA = Markup("")
_INVALID = Markup(' aria-invalid="true"')


@dataclass
class TableView:
    """A table question: column headers and rows of cell fields."""

    question: FieldView
    columns: list[str]
    rows: list[list[FieldView]]
    rows_name: str
    can_add: bool
    can_remove: bool


@dataclass
class SectionView:
    title: str
    description: str | None
    items: list[FieldView | TableView]


def form_view(form: Form, raw: Raw, errors: dict[str, str], lang: str) -> list[SectionView]:
    """The sections of a form page, filled with `raw` input and `errors`."""
    out = []
    for section in form.sections:
        items: list[FieldView | TableView] = []
        for q in section.questions:
            if q.type == "table":
                items.append(_table(q, raw, errors, lang))
                continue
            view = _field(q, q.id, raw.get(q.id), errors, lang)
            if q.not_collected:
                view.nc_name = not_collected_name(q.id)
                view.nc_checked = bool(raw.get(view.nc_name))
            items.append(view)
        desc = section.description.get(lang) if section.description else None
        out.append(SectionView(section.title.get(lang), desc, items))
    return out


def _field(
    q: Typed,
    name: str,
    value: Any,
    errors: dict,
    lang: str,
    label: str | None = None,
    in_table: bool = False,
) -> FieldView:
    kind = q.type  # type: ignore[attr-defined]
    view = FieldView(
        name=name,
        id=field_id(name),
        type=kind,
        label=label or q.text.get(lang),
        value=value,
        required=q.required,
        error=errors.get(name),
        help=q.help.get(lang) if q.help else None,
        multiline=q.multiline,
    )
    if kind in ("yesno", "choice", "multi", "scale"):
        view.options = _options(q, name, value, lang)
        if in_table:
            view.type = "select"
    if kind == "scale" and q.target is not None and not in_table:
        view.hint = text("target", lang, n=f"{q.target:g}")
    elif kind == "date" and not in_table:
        view.hint = text("date_hint", lang)
    if value is None:
        view.value = [] if kind == "multi" else ""
    return view


def _options(q: Typed, name: str, value: Any, lang: str) -> list[Option]:
    kind = q.type  # type: ignore[attr-defined]
    if kind == "yesno":
        pairs = [("yes", text("yes", lang)), ("no", text("no", lang))]
    elif kind == "scale":
        pairs = [(str(n), str(n)) for n in range(int(q.min), int(q.max) + 1)]
    else:
        pairs = [(c.value, c.text.get(lang)) for c in q.choices or []]
    picked = set(value) if isinstance(value, list) else {value}
    return [
        Option(v, label, f"{field_id(name)}-{i}", v in picked) for i, (v, label) in enumerate(pairs)
    ]


def _table(q: Question, raw: Raw, errors: dict, lang: str) -> TableView:
    count = row_count(q, raw)
    rows = []
    for row in range(count):
        cells = []
        for col in q.columns or []:
            name = cell_name(q.id, row, col.id)
            label = f"{text('row', lang, n=row + 1)}: {col.text.get(lang)}"
            cells.append(_field(col, name, raw.get(name), errors, lang, label=label, in_table=True))
        rows.append(cells)
    head = FieldView(
        name=q.id,
        id=field_id(q.id),
        type="table",
        label=q.text.get(lang),
        value=None,
        required=q.required,
        error=errors.get(q.id),
        help=q.help.get(lang) if q.help else None,
    )
    if q.min_rows:
        head.hint = text("rows_hint", lang, n=q.min_rows)
    return TableView(
        question=head,
        columns=[c.text.get(lang) for c in q.columns or []],
        rows=rows,
        rows_name=rows_name(q.id),
        can_add=count < q.max_rows,
        can_remove=count > max(1, q.min_rows),
    )


def error_summary(sections: list[SectionView]) -> list[tuple[str, str]]:
    """(target id, "label: message") for every error, in page order."""
    out = []
    for section in sections:
        for item in section.items:
            if isinstance(item, TableView):
                if item.question.error:
                    target = item.rows[0][0].first_id if item.rows else item.question.id
                    out.append((target, f"{item.question.label}: {item.question.error}"))
                for row in item.rows:
                    out.extend((c.first_id, f"{c.label}: {c.error}") for c in row if c.error)
            elif item.error:
                out.append((item.first_id, f"{item.label}: {item.error}"))
    return out


def display_value(q: Typed, value: Any, lang: str) -> str:
    """A stored value as text for read-only pages and receipts."""
    kind = q.type  # type: ignore[attr-defined]
    if value is None or value == [] or value == "":
        return text("none", lang)
    if value == NOT_COLLECTED:
        return text("not_collected_value", lang)
    if kind == "yesno":
        return text("yes" if value else "no", lang)
    if kind == "choice":
        return q.choice_text(value, lang)
    if kind == "multi":
        return ", ".join(q.choice_text(v, lang) for v in value)
    return str(value)


def answer_sections(form: Form, values: dict[str, Any], lang: str) -> list[dict]:
    """Sections of (label, text) pairs, tables as header + rows, for read-only display."""
    out = []
    for section in form.sections:
        items = []
        for q in section.questions:
            if q.type == "table":
                cols = q.columns or []
                rows = [
                    [display_value(c, row.get(c.id), lang) for c in cols]
                    for row in values.get(q.id) or []
                ]
                items.append(
                    {
                        "label": q.text.get(lang),
                        "table": True,
                        "columns": [c.text.get(lang) for c in cols],
                        "rows": rows,
                    }
                )
            else:
                items.append(
                    {
                        "label": q.text.get(lang),
                        "table": False,
                        "text": display_value(q, values.get(q.id), lang),
                    }
                )
        out.append({"title": section.title.get(lang), "items": items})
    return out
