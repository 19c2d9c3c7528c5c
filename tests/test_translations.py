"""Every text a person reads exists in both languages, and the catalog holds nothing stale."""

from __future__ import annotations

import string
from datetime import date

from models import i18n


def _fields(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


def test_every_marked_text_has_an_english_translation_with_known_placeholders():
    catalog = i18n.read_catalog()
    extracted = {m.id for m in i18n.extract() if m.id}
    missing = sorted(t for t in extracted if t not in catalog or not catalog[t].string)
    assert missing == [], f"run `python -m models.i18n update` and translate: {missing[:10]}"
    # The English may leave a placeholder out, never name one the Swedish does not pass.
    unknown = sorted(t for t in extracted if not _fields(catalog[t].string) <= _fields(t))
    assert unknown == []


def test_the_catalog_holds_no_text_the_code_no_longer_uses():
    extracted = {m.id for m in i18n.extract() if m.id}
    stale = sorted(m.id for m in i18n.read_catalog() if m.id and m.id not in extracted)
    assert stale == [], f"run `python -m models.i18n update`: {stale[:10]}"


def test_a_text_reads_in_the_language_asked_for():
    text = "--population: okända enheter {names}"
    assert i18n.gettext(text, "sv", names="'a', 'b'") == "--population: okända enheter 'a', 'b'"
    assert i18n.gettext(text, "en", names="'a', 'b'") == "--population: unknown units 'a', 'b'"


def test_dates_are_written_as_people_write_them():
    assert i18n.format_date(date(2027, 11, 15), "sv") == "15 november 2027"
    assert i18n.format_date(date(2027, 11, 15), "en") == "15 November 2027"
