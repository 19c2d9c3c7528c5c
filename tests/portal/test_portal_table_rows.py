"""portal.table_rows writes a table's cells in Python: the markup must equal the template's.

The reference is the Jinja2 loop `_fields.html` used before (same environment: autoescape,
trim_blocks, lstrip_blocks), rendered for every table question of the default forms with values
and errors that contain markup, so any escaping or whitespace difference fails here.
"""

from __future__ import annotations

import pytest

from models.cycle.answers import cell_name, rows_name
from models.cycle.forms import FORMS_DIR, get_form
from portal import form_cache
from portal.pages import environment
from portal.table_rows import table_rows
from portal.texts import text
from portal.views import TableView, form_view

REFERENCE = """\
{% for row in tv.rows %}<tr><th scope="row">{{ loop.index }}</th>{% for c in row %}{# x #}
<td{% if c.error %} class="has-error"{% endif %}><label class="visually-hidden" for="{{ c.id }}">{{ c.label }}</label>
{% if c.type == 'select' %}<select id="{{ c.id }}" name="{{ c.name }}"{{ c.aria }}><option value="">–</option>{% for o in c.options %}<option value="{{ o.value }}"{% if o.checked %} selected{% endif %}>{{ o.label }}</option>{% endfor %}</select>
{% else %}<input type="text" id="{{ c.id }}" name="{{ c.name }}" value="{{ c.value }}"{% if c.type in ('number', 'date') %} class="short"{% endif %}{{ c.aria }}>{% endif %}
{% if c.error %}<p class="error-message" id="e-{{ c.name }}"><span class="visually-hidden">{{ t('error_prefix') }}:</span> {{ c.error }}</p>{% endif %}</td>
{% endfor %}{% if tv.can_remove %}<td><button type="submit" class="link" name="action" value="remove-row:{{ tv.question.name }}:{{ loop.index0 }}">{{ t('remove_row', n=loop.index) }}</button></td>{% endif %}</tr>
{% endfor %}"""  # noqa: E501


def _tables(form_id: str, lang: str, rows: int, with_errors: bool) -> list[TableView]:
    form = get_form(form_id)
    raw: dict = {}
    errors: dict = {}
    for q in form.questions:
        if q.type != "table":
            continue
        raw[rows_name(q.id)] = str(rows)
        for r in range(rows):
            for c in q.columns or []:
                name = cell_name(q.id, r, c.id)
                if c.choices:
                    raw[name] = c.choices[-1].value
                elif c.type == "scale":
                    raw[name] = str(int(c.min))
                elif c.type == "yesno":
                    raw[name] = "yes"
                else:
                    raw[name] = f'<b>"{c.id}" & {r}</b>'
                if with_errors and (r + len(c.id)) % 2:
                    errors[name] = f"fel <i>{c.id}</i> & 'x'"
    sections = form_view(form, raw, errors, lang)
    return [item for s in sections for item in s.items if isinstance(item, TableView)]


TABLE_FORMS = sorted(
    p.stem
    for p in FORMS_DIR.glob("*.yaml")
    if any(q.type == "table" for q in get_form(p.stem).questions)
)


@pytest.mark.parametrize("form_id", TABLE_FORMS)
@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("rows,with_errors", [(1, False), (3, True), (7, True)])
def test_rows_equal_the_template_markup(form_id, lang, rows, with_errors):
    reference = environment().from_string(REFERENCE)
    tables = _tables(form_id, lang, rows, with_errors)
    assert tables
    for tv in tables:
        expected = reference.render(tv=tv, t=lambda key, **p: text(key, lang, **p))
        assert str(table_rows(tv, lang)) == expected


def test_cell_values_are_escaped():
    tv = _tables("riskanalys", "sv", 1, True)[0]
    html = str(table_rows(tv, "sv"))
    assert "<b>" not in html and "<i>" not in html
    assert "&lt;b&gt;&#34;" in html and "&lt;i&gt;" in html


@pytest.mark.parametrize("form_id", TABLE_FORMS)
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_shared_empty_cells_equal_the_template_markup(form_id, lang):
    # portal.form_cache shares an empty cell's view between pages; its markup is written once
    reference = environment().from_string(REFERENCE)
    form = get_form(form_id)
    raw = {rows_name(q.id): "4" for q in form.questions if q.type == "table"}
    raw["x"] = "y"  # the cache's first page and a later one alike
    for _ in range(2):
        tables = [item for s in form_cache.form_view(form, raw, {}, lang) for item in s.items
                  if isinstance(item, TableView)]
        for tv in tables:
            expected = reference.render(tv=tv, t=lambda key, **p: text(key, lang, **p))
            assert str(table_rows(tv, lang)) == expected
