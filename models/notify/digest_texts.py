"""The translated texts of a digest (models/notify/digest.py), made once and handed to its three
templates (templates/notify/) as plain values: a text the templates translated with `_()` cost a
call through Jinja per use, and the text and HTML bodies each used it.
"""

from __future__ import annotations

from functools import lru_cache

from models.i18n import gettext


class Fields(dict):
    """A section or item of a digest: its fields read as `item.title` in the templates without
    Jinja first failing an attribute lookup on a plain dict (thousands of times per batch)."""

    def __getattr__(self, name: str):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


@lru_cache(maxsize=16)
def common(lang: str, organisation: str) -> dict[str, str]:
    """The texts of every digest in `lang` from `organisation` (translated once, not per
    digest and body)."""
    intro = (gettext("Här är det som är aktuellt för dig i årshjulet för informationssäkerhet "
                     "och dataskydd i {organisation}.", lang, organisation=organisation)
             if organisation else
             gettext("Här är det som är aktuellt för dig i årshjulet för informationssäkerhet "
                     "och dataskydd.", lang))
    return {"wheel": gettext("Årshjulet", lang), "intro": intro,
            "personal": gettext("Länkarna är personliga – vidarebefordra dem inte.", lang),
            "automatic": gettext("Det här meddelandet skickades automatiskt av årshjulet.", lang)}


def subject(sections: list, count: int, organisation: str, prefix: str,
                   lang: str) -> dict[str, str]:
    """The subject's translated parts: the one item's due date, or the count of items."""
    if count == 1:
        item = sections[0]["items"][0]
        return {"summary": "", "deadline": (gettext("sista dag {day}", lang, day=item["due_text"])
                                            if item["due"] else "")}
    if organisation:
        summary = gettext("Årshjulet, {organisation}: {count} ärenden – {prefix} m.m.", lang,
                          organisation=organisation, count=count, prefix=prefix.lower())
    else:
        summary = gettext("Årshjulet: {count} ärenden – {prefix} m.m.", lang, count=count,
                          prefix=prefix.lower())
    return {"summary": summary, "deadline": ""}
