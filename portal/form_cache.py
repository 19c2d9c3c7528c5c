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
_MAX_PICKED = 20_000  #: fixed views whose ticked option lists are kept (see _picked)
_PICKED: dict[int, tuple[FieldView, dict[str, list[Option]]]] = {}


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
        view.options = _picked(fixed, value)
    if value is None:
        view.value = [] if kind == "multi" else ""
    else:
        view.value = value
    return view


def _picked(fixed: FieldView, value: Any) -> list[Option]:
    """`fixed`'s options ticked as `value` says. A single pick (or none) is one of a few lists,
    built once per fixed view and shared between pages (never changed once built)."""
    if isinstance(value, list):
        picked = set(value)
        return [Option(o.value, o.label, o.id, o.value in picked) for o in fixed.options]
    lists = _PICKED.get(id(fixed))
    if lists is None or lists[0] is not fixed:
        if len(_PICKED) >= _MAX_PICKED:
            _PICKED.clear()
        lists = (fixed, {o.value: [Option(p.value, p.label, p.id, p.value == o.value)
                                   for p in fixed.options] for o in fixed.options})
        _PICKED[id(fixed)] = lists
    found = lists[1].get(value)
    return found if found is not None else fixed.options


def _cell(parts: _TableParts, kind: str, cell: FieldView, value: Any, errors: dict) -> FieldView:
    """A table cell's view. An empty cell without an error is its fixed part as it is (shared,
    never changed: nothing of a table's cells is set after this), and so is a blank one ("" as a
    version shows a blank input) when that fills in the same; a picked or blank select without
    an error is one kept per picked value (its markup written once); else a filled copy."""
    if errors.get(cell.name) is None:
        if value is None or (value == "" and kind != "multi" and not cell.options):
            return cell
        if cell.options and kind != "multi" and type(value) is str:
            return parts.picked(kind, cell, value)
    return _fill(cell, kind, value, errors)


class _TableParts:
    """A table question's head and its rows' cells, built up to the rows a page has shown."""

    def __init__(self, q: Question, lang: str) -> None:
        self.lang = lang
        self.empty = views._table(q, {}, {}, lang)
        self.rows: list[list[tuple[str, FieldView]]] = []
        self.filled: dict[tuple[str, str], FieldView] = {}

    def row(self, q: Question, row: int) -> list[tuple[str, FieldView]]:
        rows = self.rows
        if len(rows) <= row:  # a new list, swapped in whole: page threads may race here
            rows = rows + [self._cells(q, n) for n in range(len(rows), row + 1)]
            self.rows = rows
        return rows[row]

    def picked(self, kind: str, cell: FieldView, value: str) -> FieldView:
        """`cell` filled with `value`, kept and its markup shared when `value` is an option."""
        key = (cell.name, value)
        found = self.filled.get(key)
        if found is not None:
            return found
        view = _fill(cell, kind, value, {})
        if value == "" or any(o.value == value for o in cell.options):  # a few per cell
            table_rows.share(view, self.lang)
            self.filled = {**self.filled, key: view}
        return view

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
    rows = [[_cell(parts, kind, cell, raw.get(cell.name), errors) for kind, cell in parts.row(q, n)]
            for n in range(count)]
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
