"""Text in two languages, one way: Swedish in the code, English in a gettext catalog (Babel).

Every text a person reads is written in Swedish where it is used and marked for the catalog:

    _("{path}: filen finns inte", path=path)          # the command line's language
    gettext("Sista dag", lang)                         # the organisation's language (mail, portal,
                                                       # report, calendar, Prefect artifacts)
    N_("Påminnelse")                                   # marked now, translated where shown
    {{ _("Hej") }}                                     # in a template rendered with `_` in context

The English texts live in `models/locale/en/LC_MESSAGES/arshjul.po`, keyed by the Swedish text.
`python -m models.i18n update` extracts every marked text from the code and the templates into it
(new ones with an empty translation); tests/test_translations.py fails while any is empty or
names other placeholders than its Swedish text. Dates read as people write them:
`format_date(day, "sv")` is "15 november 2027".
"""

from __future__ import annotations

import io
from datetime import date
from functools import lru_cache
from gettext import NullTranslations
from pathlib import Path

LANGUAGES = ("sv", "en")
DOMAIN = "arshjul"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
CATALOG = LOCALE_DIR / "en" / "LC_MESSAGES" / f"{DOMAIN}.po"
#: What `update` extracts: Python keywords and the template folders' files.
KEYWORDS = {"_": None, "gettext": None, "N_": None, "tr": None}  # tr: ReportContext.tr
SOURCES = ("models", "tasks", "flows", "portal", "cli")
TEMPLATE_DIRS = ("templates", "portal/templates")
HEADER = (
    "# English texts of arshjul, keyed by the Swedish text in the code (models/i18n.py).\n"
    "# Refresh with: python -m models.i18n update\n\n"
)


@lru_cache(maxsize=4)
def translations(lang: str) -> NullTranslations:
    """The compiled catalog of `lang` (Swedish is the source language: no catalog)."""
    if lang != "en":
        return NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.support import Translations

    catalog = read_catalog(lang)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(fp=compiled, domain=DOMAIN)


def gettext(message: str, lang: str, /, **params) -> str:
    """`message` (Swedish) in `lang`, with `{name}` placeholders filled from `params`."""
    text = translations(lang).gettext(message) if lang == "en" else message
    return text.format(**params) if params else text


def cli_language() -> str:
    """The command line's language: ARSHJUL_LANGUAGE (Swedish unless it says en)."""
    from models.settings import get_settings  # settings import nothing from here

    try:
        return "en" if get_settings().language == "en" else "sv"
    except ValueError:  # the settings themselves are invalid: that error is reported elsewhere
        return "sv"


def _(message: str, /, **params) -> str:
    """`message` in the command line's language (errors, progress, command output)."""
    return gettext(message, cli_language(), **params)


def N_(message: str) -> str:
    """Mark `message` for the catalog without translating it (translated where it is shown)."""
    return message


def translator(lang: str):
    """A one-argument `_` for templates rendered in `lang`."""
    return lambda message, **params: gettext(message, lang, **params)


@lru_cache(maxsize=4096)
def format_date(day: date, lang: str) -> str:
    """A date as people write it: "15 november 2027" / "15 November 2027" (memoised: Babel
    costs 50 µs a call, and a delivery batch writes the same few due dates thousands of times)."""
    from babel.dates import format_date as babel_format

    return babel_format(day, format="d MMMM y", locale="sv_SE" if lang != "en" else "en_GB")


def extract():
    """Every marked text of the code and the templates, as a Babel catalog template."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    root = LOCALE_DIR.parent.parent
    template = Catalog(locale=None, domain=DOMAIN)
    methods = [("**.py", "python"), ("**.j2", "jinja2"), ("**.html", "jinja2")]
    for folder in SOURCES + TEMPLATE_DIRS:
        for name, line, message, _comments, _ctx in extract_from_dir(
            root / folder, methods, keywords=KEYWORDS
        ):
            template.add(message, locations=[(f"{folder}/{name}", line)])
    return template


def read_catalog(lang: str = "en"):
    """The catalog file of `lang` as a Babel catalog."""
    from babel.messages.pofile import read_po

    with CATALOG.open("rb") as handle:
        return read_po(handle, locale=lang, domain=DOMAIN)


def update() -> int:
    """Extract the marked texts into the English catalog; returns how many lack a translation."""
    from babel.messages.pofile import write_po

    catalog = read_catalog()
    catalog.update(extract(), no_fuzzy_matching=True)
    catalog.obsolete.clear()
    for message in catalog:  # the file's own comment (HEADER) reads back as the first text's
        message.user_comments = []
    body = io.BytesIO()
    write_po(body, catalog, width=100, sort_output=True, omit_header=True, no_location=True)
    CATALOG.write_bytes(HEADER.encode("utf-8") + body.getvalue())
    translations.cache_clear()
    return sum(1 for m in catalog if m.id and not m.string)


if __name__ == "__main__":
    import sys

    if sys.argv[1:] != ["update"]:
        sys.exit("usage: python -m models.i18n update")
    missing = update()
    print(f"{CATALOG}: {missing} texts without an English translation")
