"""The report's incident section: the reference report's three tables, rows and order kept."""

from __future__ import annotations

from sqlmodel import Session

from models import report_sources as src
from models.figures import (
    EQUIPMENT,
    EQUIPMENT_CATEGORIES,
    EXTRA_EQUIPMENT,
    IT_CATEGORIES,
    IT_SECURITY,
    OTHER_AREAS,
    PERSONAL_DATA,
    category_label,
)
from models.report_content import NotCollected, Paragraph, Section, Table, fmt_count

T = {
    "sv": {
        "title": "Incidenter", "it": "IT-säkerhet", "physical": "Fysisk säkerhet",
        "personnel": "Personell säkerhet", "admin": "Administrativ säkerhet",
        "pd": "Personuppgiftsincidenter", "count": "Antal",
        "it_table": "IT-säkerhetsincidenter {y}", "eq_table": "Borttappad/stulen utrustning {y}",
        "pd_table": "Personuppgiftsincidenter {y}",
        "missing": "Någon insamling av {what} har inte genomförts under {y}.",
        "it_what": "IT-säkerhetsincidenter", "eq_what": "borttappad/stulen utrustning",
        "pd_what": "personuppgiftsincidenter",
        "pd_total": "Antalet inrapporterade personuppgiftsincidenter uppgår till {n} stycken "
                    "under {y}.",
        "intro": "Avsnittet som följer redogör för incidenter inom informationssäkerhets- och "
                 "dataskyddsområdet.",
        "row_missing": "ej insamlat",
    },
    "en": {
        "title": "Incidents", "it": "IT security", "physical": "Physical security",
        "personnel": "Personnel security", "admin": "Administrative security",
        "pd": "Personal data breaches", "count": "Count",
        "it_table": "IT security incidents {y}", "eq_table": "Lost/stolen equipment {y}",
        "pd_table": "Personal data breaches {y}",
        "missing": "No collection of {what} was carried out in {y}.",
        "it_what": "IT security incidents", "eq_what": "lost or stolen equipment",
        "pd_what": "personal data breaches",
        "pd_total": "The number of reported personal data breaches was {n} in {y}.",
        "intro": "This section accounts for incidents in information security and data protection.",
        "row_missing": "not collected",
    },
}
#: The three "other" areas and the subsection they belong to.
_AREA_SECTION = {"inbrott_skadegorelse": "physical", "personell_incidenter": "personnel",
                 "administrativa_incidenter": "admin"}


def incidents_section(session: Session, year: int, lang: str) -> Section:
    """Incidenter: IT security, physical security (equipment), personnel, administrative, breaches."""
    t = T[lang]
    figures_year = src.has_incident_figures(session, year)
    missing = set(src.not_collected_areas(session, year, figures_year=figures_year))
    it_rows = src.incident_rows(session, year, IT_SECURITY)
    eq_rows = src.incident_rows(session, year, EQUIPMENT)
    pd_rows = src.incident_rows(session, year, PERSONAL_DATA)
    subs = [
        Section("incidenter-it", t["it"], [_count_table(t, year, "it", it_rows, IT_CATEGORIES, {},
                                                        lang)]),
        Section("incidenter-fysisk", t["physical"],
                [_count_table(t, year, "eq", eq_rows, EQUIPMENT_CATEGORIES, EXTRA_EQUIPMENT, lang)]
                + _area_notes(t, year, "physical", missing, lang)),
        Section("incidenter-personell", t["personnel"], _area_notes(t, year, "personnel", missing,
                                                                   lang)),
        Section("incidenter-administrativ", t["admin"], _area_notes(t, year, "admin", missing,
                                                                   lang)),
        Section("personuppgiftsincidenter", t["pd"], _breaches(t, year, pd_rows, lang)),
    ]
    return Section("incidenter", t["title"], [Paragraph(t["intro"])], subs)


def _count_table(t, year, prefix, rows, vocab, extra, lang):
    if rows is None:
        return NotCollected(t["missing"].format(what=t[f"{prefix}_what"], y=year))
    by_key = {r.key: r for r in rows}
    body = []
    for key in vocab:
        row = by_key.get(key)
        body.append([category_label("", key, lang), _cell(t, row, lang)])
    for key in extra:
        row = by_key.get(key)
        if row is not None and row.count:
            body.append([category_label("", key, lang), _cell(t, row, lang)])
    return Table(t[f"{prefix}_table"].format(y=year), [t[f"{prefix}_table"].format(y=year),
                                                       t["count"]], body, numeric=(1,))


def _cell(t, row, lang) -> str:
    if row is None or row.count is None:
        return t["row_missing"]
    return fmt_count(row.count, row.approx, lang)


def _area_notes(t, year, section, missing, lang):
    notes = []
    for key, where in _AREA_SECTION.items():
        if where == section and key in missing:
            notes.append(NotCollected(t["missing"].format(what=OTHER_AREAS[key][lang], y=year)))
    return notes


def _breaches(t, year, rows, lang):
    if rows is None:
        return [NotCollected(t["missing"].format(what=t["pd_what"], y=year))]
    total = sum(r.count or 0 for r in rows)
    body = [[r.label, t["row_missing"] if r.count is None else fmt_count(r.count, r.approx, lang)]
            for r in rows]
    return [Paragraph(t["pd_total"].format(n=total, y=year)),
            Table(t["pd_table"].format(y=year), [t["pd_table"].format(y=year), t["count"]], body,
                  numeric=(1,))]
