"""portal.form_html writes a form page in Python: the page must equal the one the Jinja2 templates
wrote.

The reference is the former `form.html` with its macros `_fields.html` (tests/portal/
reference_templates, in the portal's own environment: autoescape, trim_blocks, lstrip_blocks),
`base.html` and the include `_assignment.html` the other pages still use. Both render every form of wheel/forms
in both languages, empty and filled, with and without errors, with tables of 0 to 6 rows, ticked
"not collected" boxes, a draft, a submitted version (and a page started from one) and someone
answering in the contact's place, with names, answers and errors that contain markup: any escaping or whitespace
difference fails here.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from jinja2 import ChoiceLoader, FileSystemLoader

from models import roles
from models.cycle.answers import check
from models.cycle.forms import get_form
from portal import form_cache, pages, views
from portal.context import Opened, Responsible
from portal.table_rows import table_rows
from portal.texts import text
from tests.portal.test_portal_form_cache import FORM_IDS, _input

REFERENCE = pages.TEMPLATES.parent.parent / "tests" / "portal" / "reference_templates"


def _reference_env():
    env = pages.environment().overlay(
        loader=ChoiceLoader([FileSystemLoader(REFERENCE), FileSystemLoader(pages.TEMPLATES)])
    )
    # a table's rows in the macros: portal.table_rows (tests/portal/test_portal_table_rows.py)
    env.globals.update(pages.environment().globals, table_rows=table_rows)
    return env


def _opened(form_id: str, lang: str, submitted: bool, access: str) -> Opened:
    step = SimpleNamespace(
        id=1, key="k", title_sv="Steg <sv> & 'x'", title_en="Step <en>", purpose_sv="Syfte <b>",
        purpose_en="", form=form_id, due=date(2027, 11, 15), retired_at=None,
        audience_role="kontaktperson", escalate=None, kind="questionnaire",
    )
    when = datetime(2027, 10, 2, 9, 30, tzinfo=UTC)
    latest = SimpleNamespace(version=2, values={}, submitted_at=when, submitted_by="p1",
                             on_behalf=False) if submitted else None
    people = [Responsible("p1", "Anna <A> & \"B\""), Responsible("p2", "Bo O'Neil")]
    return Opened(
        assignment=SimpleNamespace(id=1, scope_kind="unit", scope_id="u1", retired_at=None,
                                   submitted_at=when if submitted else None),
        step=step, form=get_form(form_id), person=people[1], lang=lang,
        tz=ZoneInfo("Europe/Stockholm"), scope_name="Förvaltning <u>", responsible=people,
        closes_on=date(2027, 12, 15), closed=False, latest=latest, draft=None, access=access,
    )


CASES = [(False, roles.ANSWER, None, None), (True, roles.OVERSEE, "Sparat <i>", "Utkast & x")]


@pytest.mark.parametrize("form_id", FORM_IDS)
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_page_equals_the_jinja_macros_markup(form_id, lang):
    reference = _reference_env().get_template("form.html")
    for submitted, access, notice, note in CASES:
        opened = _opened(form_id, lang, submitted, access)
        inputs = [({}, {})] + [_input(opened.form, rows, e) for rows in (0, 1, 3, 6)
                               for e in (False, True)]
        for raw, errors in inputs:
            context = pages.form_context(opened, "tok<en>", "c&srf", raw, errors, notice=notice,
                                         draft_note=note)
            expected = reference.render(lang=lang, t=lambda key, **p: text(key, lang, **p),
                                        **context)
            assert pages.form_html(context, lang) == expected


def test_answers_names_and_errors_are_escaped():
    opened = _opened("riskanalys", "sv", True, roles.ANSWER)
    raw, errors = _input(opened.form, 3, True)
    html = pages.form_html(pages.form_context(opened, "t", "c", raw, errors), "sv")
    assert "<b>" not in html and "<i>" not in html and "<A>" not in html
    assert "Anna &lt;A&gt; &amp; &#34;B&#34;" in html and "&lt;b&gt;" in html


@pytest.mark.parametrize("form_id", FORM_IDS)
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_page_from_the_latest_version_equals_the_jinja_macros_markup(form_id, lang):
    """The page a submitted version starts (blanks as "", booleans, tables of 0 to 6 rows), twice:
    the second page comes from the kept raw shape, options and cells."""
    reference = _reference_env().get_template("form.html")
    opened = _opened(form_id, lang, True, roles.ANSWER)
    filled = [_input(opened.form, rows, False)[0] for rows in (0, 1, 3, 6)]
    for raw in [{}] + filled + filled:
        opened.latest.values = check(opened.form, raw, lang=lang, final=False).values
        start, _ = pages.starting_raw(opened)
        assert form_cache.form_view(opened.form, start, {}, lang) == views.form_view(
            opened.form, start, {}, lang)
        context = pages.form_context(opened, "tok", "csrf", start, {})
        expected = reference.render(lang=lang, t=lambda key, **p: text(key, lang, **p), **context)
        assert pages.form_html(context, lang) == expected
