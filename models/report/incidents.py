"""The report's incident section: the reference report's three tables, rows and order kept."""

from __future__ import annotations

from sqlmodel import Session

from models.i18n import N_, gettext
from models.report import sources as src
from models.report.content import NotCollected, Paragraph, Section, Table
from models.report.figures import (
    ADMINISTRATIVE_INCIDENTS,
    BURGLARY,
    OTHER_AREAS,
    PERSONNEL_INCIDENTS,
)

#: The section's fixed texts (Swedish; English in the catalog), translated by `_texts`.
T = {
    "title": N_("Incidenter"),
    "it": N_("IT-säkerhet"),
    "physical": N_("Fysisk säkerhet"),
    "personnel": N_("Personell säkerhet"),
    "admin": N_("Administrativ säkerhet"),
    "pd": N_("Personuppgiftsincidenter"),
    "count": N_("Antal"),
    "it_table": N_("IT-säkerhetsincidenter {y}"),
    "eq_table": N_("Borttappad/stulen utrustning {y}"),
    "pd_table": N_("Personuppgiftsincidenter {y}"),
    "missing": N_("Någon insamling av {what} har inte genomförts under {y}."),
    "it_what": N_("IT-säkerhetsincidenter"),
    "eq_what": N_("borttappad/stulen utrustning"),
    "pd_what": N_("personuppgiftsincidenter"),
    "counted": N_("Under {y} rapporterades {n} {what}."),
    "pd_total": N_(
        "Antalet inrapporterade personuppgiftsincidenter uppgår till {n} stycken under "
        "{y}."
    ),
    "intro": N_(
        "Avsnittet som följer redogör för incidenter inom informationssäkerhets- och "
        "dataskyddsområdet."
    ),
}

#: The three "other" areas and the subsection they belong to.
_AREA_SECTION = {
    BURGLARY: "physical",
    PERSONNEL_INCIDENTS: "personnel",
    ADMINISTRATIVE_INCIDENTS: "admin",
}


def incidents_section(session: Session, year: int, lang: str) -> Section:
    """Incidenter: IT security, physical (equipment), personnel, administrative, breaches.

    Every number is `arshjul incident stats`' (`models.report.incident_stats_store.year_tables`).
    """
    t = section_texts(lang)
    tables = src.incident_tables_for(session, year, lang)
    missing, counts = set(tables.not_collected), tables.areas
    subs = [
        Section("incidenter-it", t["it"], [_count_table(t, year, "it", tables.it_security)]),
        Section(
            "incidenter-fysisk",
            t["physical"],
            [_count_table(t, year, "eq", tables.equipment)]
            + _area_notes(t, year, "physical", missing, counts, lang),
        ),
        Section(
            "incidenter-personell",
            t["personnel"],
            _area_notes(t, year, "personnel", missing, counts, lang),
        ),
        Section(
            "incidenter-administrativ",
            t["admin"],
            _area_notes(t, year, "admin", missing, counts, lang),
        ),
        Section(
            "personuppgiftsincidenter", t["pd"], _breaches(t, year, tables.personal_data, lang)
        ),
    ]
    return Section("incidenter", t["title"], [Paragraph(t["intro"])], subs)


def _count_table(t, year, prefix, rows):
    if rows is None:
        return NotCollected(t["missing"].format(what=t[f"{prefix}_what"], y=year))
    caption = t[f"{prefix}_table"].format(y=year)
    return Table(
        caption, [caption, t["count"]], [[r.label, r.text(_lang(t))] for r in rows], numeric=(1,)
    )


def section_texts(lang: str) -> dict[str, str]:
    """The section's texts in `lang` (and the language itself, under "lang")."""
    return {**{key: gettext(text, lang) for key, text in T.items()}, "lang": lang}


def _lang(t) -> str:
    return t["lang"]


def _area_notes(t, year, section, missing, counts, lang):
    notes = []
    for key, where in _AREA_SECTION.items():
        if where != section:
            continue
        if key in counts:
            notes.append(Paragraph(area_sentence(key, year, counts, lang)))
        elif key in missing:
            notes.append(NotCollected(area_sentence(key, year, counts, lang)))
    return notes


def area_sentence(key: str, year: int, counts: dict[str, int], lang: str = "sv") -> str:
    """The report's sentence on an area outside the tables: its count, or "not collected"."""
    t, what = section_texts(lang), OTHER_AREAS[key][lang]
    if key in counts:
        return t["counted"].format(n=counts[key], what=what, y=year)
    return t["missing"].format(what=what, y=year)


def _breaches(t, year, rows, lang):
    if rows is None:
        return [NotCollected(t["missing"].format(what=t["pd_what"], y=year))]
    total = sum(r.count for r in rows)
    caption = t["pd_table"].format(y=year)
    return [
        Paragraph(t["pd_total"].format(n=total, y=year)),
        Table(
            caption, [caption, t["count"]], [[r.label, r.text(lang)] for r in rows], numeric=(1,)
        ),
    ]
