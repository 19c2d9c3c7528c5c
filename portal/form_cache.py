"""The form page's view models from parts built once per form and language.

Everything of a question that does not depend on the request (ids, labels, help, hints, options,
a table row's cell labels) is built once per (form, language) by portal.views and kept; a page
only copies those parts and fills in the typed-in values, ticks and errors. `form_view` here
returns exactly what `portal.views.form_view` builds (tests/portal/test_portal_form_cache.py);
it saved ≈ a sixth of a form page's server CPU (docs/benchmarks.md).

`models.cycle.forms.get_form` returns the same Form object while its file is unchanged, so the
key is the Form object itself (by identity, kept alive with its entry) and the language.
"""

from __future__ import annotations

from typing import Any

from models.cycle.answers import Raw, cell_name, not_collected_name, row_count
from models.cycle.forms import Form, Question
from portal import table_rows, views
from portal.texts import text
from portal.views import FieldView, Option, SectionView, TableView

_MAX_ENTRIES = 32  #: forms × languages kept; a changed form file makes a new Form object
_FIXED: dict[tuple[int, str], tuple[Form, list]] = {}


def form_view(form: Form, raw: Raw, errors: dict[str, str], lang: str) -> list[SectionView]:
    """The sections of a form page, filled with `raw` input and `errors` (as views.form_view)."""
    out = []
    for title, desc, items in _fixed(form, lang):
        filled: list[FieldView | TableView] = []
        for kind, q, fixed in items:
            if kind == "table":
                filled.append(_table(q, fixed, raw, errors, lang))
                continue
            view = _fill(fixed, kind, raw.get(fixed.name), errors)
            if view.nc_name is not None:
                view.nc_checked = bool(raw.get(view.nc_name))
            filled.append(view)
        out.append(SectionView(title, desc, filled))
    return out


def _fixed(form: Form, lang: str) -> list:
    entry = _FIXED.get((id(form), lang))
    if entry is not None and entry[0] is form:
        return entry[1]
    if len(_FIXED) >= _MAX_ENTRIES:
        _FIXED.clear()
    sections = []
    for section in form.sections:
        items = []
        for q in section.questions:
            if q.type == "table":
                items.append(("table", q, _TableParts(q, lang)))
                continue
            view = views._field(q, q.id, None, {}, lang)
            if q.not_collected:
                view.nc_name = not_collected_name(q.id)
            items.append((q.type, q, view))
        desc = section.description.get(lang) if section.description else None
        sections.append((section.title.get(lang), desc, items))
    _FIXED[(id(form), lang)] = (form, sections)
    return sections


def _copy(fixed: FieldView) -> FieldView:
    view = object.__new__(FieldView)  # a shallow copy without copy.copy's reduce protocol
    view.__dict__.update(fixed.__dict__)
    return view


def _fill(fixed: FieldView, kind: str, value: Any, errors: dict) -> FieldView:
    view = _copy(fixed)
    view.error = errors.get(view.name)
    if fixed.options:
        picked = set(value) if isinstance(value, list) else {value}
        view.options = [Option(o.value, o.label, o.id, o.value in picked) for o in fixed.options]
    if value is None:
        view.value = [] if kind == "multi" else ""
    else:
        view.value = value
    return view


class _TableParts:
    """A table question's head and its rows' cells, built up to the rows a page has shown."""

    def __init__(self, q: Question, lang: str) -> None:
        self.lang = lang
        self.empty = views._table(q, {}, {}, lang)
        self.rows: list[list[tuple[str, FieldView]]] = []

    def row(self, q: Question, row: int) -> list[tuple[str, FieldView]]:
        rows = self.rows
        if len(rows) <= row:  # a new list, swapped in whole: page threads may race here
            rows = rows + [self._cells(q, n) for n in range(len(rows), row + 1)]
            self.rows = rows
        return rows[row]

    def _cells(self, q: Question, n: int) -> list[tuple[str, FieldView]]:
        cells = []
        for col in q.columns or []:
            label = f"{text('row', self.lang, n=n + 1)}: {col.text.get(self.lang)}"
            name = cell_name(q.id, n, col.id)
            cell = views._field(col, name, None, {}, self.lang, label=label, in_table=True)
            table_rows.share(cell, self.lang)
            cells.append((col.type, cell))
        return cells


def _table(q: Question, parts: _TableParts, raw: Raw, errors: dict, lang: str) -> TableView:
    count = row_count(q, raw)
    # An empty cell without an error is its fixed part as it is (shared, never changed: nothing
    # of a table's cells is set after this); a filled or wrong one is a filled copy.
    rows = [
        [cell if raw.get(cell.name) is None and errors.get(cell.name) is None
         else _fill(cell, kind, raw.get(cell.name), errors) for kind, cell in parts.row(q, n)]
        for n in range(count)
    ]
    head = _copy(parts.empty.question)
    head.error = errors.get(q.id)
    return TableView(
        question=head,
        columns=parts.empty.columns,
        rows=rows,
        rows_name=parts.empty.rows_name,
        can_add=count < q.max_rows,
        can_remove=count > max(1, q.min_rows),
    )
