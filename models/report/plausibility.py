"""What the coordinator should check before the board gets the report: numbers outside a plausible
range for the organisation's size, and answers that contradict the incident register.

`to_check(session, year, lang)` returns sentences, one per finding, for the coordinator's copy
only (`arshjul report --to-check`); the board's copy never shows them, and `arshjul report` says
how many there are. Pure reads: nothing is changed.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import replace
from datetime import UTC, datetime

from sqlmodel import Session, func, select

from models.cycle.forms import get_form
from models.i18n import gettext
from models.incidents.register import Incident
from models.org import Person, Unit
from models.report import sources as src
from models.report.content import Bullets, Paragraph, Report, Section

#: a quarter's count above this many per person in the organisation (or the floor) is implausible
PER_PERSON, FLOOR = 10, 1000
#: the same risk row (asset, measure, owner) in this many units' analyses is copied, not analysed
SAME_ASSET_UNITS = 3
COPIED = ("tillgang", "atgard", "ansvarig")
STATISTICS_FORM, BREACHES = "incidentstatistik", "personuppgiftsincidenter"


def to_check(session: Session, year: int, lang: str) -> list[str]:
    """Every finding of the year, as sentences in `lang`."""
    units = {u.id: u.name for u in session.exec(select(Unit)).all()}
    return (_implausible_counts(session, year, lang, units)
            + _copied_assets(session, year, lang, units)
            + _breaches_against_register(session, year, lang, units))


def count_limit(people: int) -> int:
    """The largest plausible count of one category in a quarter for an organisation of `people`."""
    return max(FLOOR, PER_PERSON * people)


def _implausible_counts(session, year, lang, units) -> list[str]:
    people = session.exec(select(func.count()).select_from(Person).where(Person.active)).one()
    limit = count_limit(people)
    texts = {q.id: q.text.get(lang) for q in get_form(STATISTICS_FORM).questions}
    found = []
    for answer in src.answers_for(session, year, STATISTICS_FORM):
        for qid, value in answer.data.items():
            if isinstance(value, int | float) and not isinstance(value, bool) and value > limit:
                found.append(gettext(
                    "{scope}: {value} för ”{question}” i incidentstatistiken – mer än {limit}, "
                    "det rimliga för en organisation med {people} personer",
                    lang, scope=units.get(answer.scope_id, answer.scope_id), value=value,
                    question=texts.get(qid, qid), limit=limit, people=people))
    return found


def _copied_assets(session, year, lang, units) -> list[str]:
    where: dict[str, set[str]] = defaultdict(set)
    shown: dict[str, str] = {}
    for unit, rows in src.risk_rows(session, year).items():
        for row in rows:
            asset = str(row.get("tillgang") or "").strip()
            # the same system in many units is normal; the same asset, measure and owner is a copy
            key = tuple(str(row.get(k) or "").strip().lower() for k in COPIED)
            if asset:
                where[key].add(unit)
                shown.setdefault(key, asset)
    return [gettext("Samma informationstillgång ”{asset}” i {count} förvaltningars "
                    "riskanalyser: {units}", lang, asset=shown[key], count=len(scopes),
                    units=", ".join(sorted(units.get(u, u) for u in scopes)))
            for key, scopes in sorted(where.items()) if len(scopes) >= SAME_ASSET_UNITS]


def _breaches_against_register(session, year, lang, units) -> list[str]:
    answered: Counter = Counter()
    reporting = set()
    for answer in src.answers_for(session, year, STATISTICS_FORM):
        value = answer.data.get(BREACHES)
        if isinstance(value, int) and not isinstance(value, bool):
            answered[answer.scope_id] += value
            reporting.add(answer.scope_id)
    start, end = datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)
    registered = Counter(session.exec(
        select(Incident.unit_id).where(Incident.personal_data, Incident.aware_at >= start,
                                       Incident.aware_at < end)).all())
    return [gettext("{scope}: {answered} personuppgiftsincidenter i incidentstatistiken, men "
                    "{registered} i incidentregistret", lang,
                    scope=units.get(unit, unit), answered=answered[unit], registered=count)
            for unit, count in sorted(registered.items())
            if unit in reporting and answered[unit] < count]


def coordinator_copy(report: Report) -> Report:
    """The report with the findings to check as its first section (the coordinator's copy)."""
    title = gettext("Att kontrollera före styrelsen (samordnarens exemplar)", report.lang)
    items = [Bullets(report.to_check)] if report.to_check else [
        Paragraph(gettext("Inget att kontrollera.", report.lang))]
    return replace(report, sections=[Section("att-kontrollera", title, items)] + report.sections)
