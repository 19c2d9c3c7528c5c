"""Incident statistics of a year: the reference report's three tables, from the register. Pure.

The rows are those of `models.report.figures` (IT-security sub-kinds; lost/stolen equipment by type;
personal-data breaches per board), so registered incidents, the quarterly `incidentstatistik`
answers and imported figures land on the same rows.

How a row is counted: incidents registered in the year (by time of awareness, in local time) plus
the counts from other sources for the same row — numbers that are not registered one by one, such
as phishing attempts from the mail gateway or malware stopped on clients (entered through the
quarterly form or `figures import`). Do not put the register's own incidents into those figures as
well. A row with an estimate from another source is an estimate ("Ca 650"). The exception is the
breach table: every personal-data breach must be documented (GDPR art. 33(5)), so once the register
holds a breach of the year, the register alone counts the breaches per board.

A table is "not collected" (None) when the year has neither registered incidents of that table nor
any other-source count for it. The three other areas (burglary and damage, personnel,
administrative) are counted the same way — registered incidents of the area plus other-source
counts keyed (`AREA_COUNTS`, area) — and are "not collected" when neither exists, whether or not a
source marks them so explicitly (an imported `ej-insamlat` row, a form answer "not collected").

This module is the one source of these rules: `models.report.incident_stats_store.year_tables` feeds it
from the store, and both `arshjul incident stats` and the annual report print its result.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from models.incidents.register import ADMINISTRATIVE, EQUIPMENT_LOST, PERSONNEL, PHYSICAL, Incident
from models.report.figures import (
    ADMINISTRATIVE_INCIDENTS,
    AREA_COUNTS,
    EQUIPMENT,
    EQUIPMENT_CATEGORIES,
    EXTRA_EQUIPMENT,
    IT_CATEGORIES,
    IT_SECURITY,
    OTHER_AREAS,
    PERSONAL_DATA,
    PERSONNEL_INCIDENTS,
    sv_key,
)
from models.settings import DEFAULT_TIMEZONE

#: the area key (`models.report.figures.OTHER_AREAS`) of a registered incident outside the three tables.
_AREA_OF = {ADMINISTRATIVE: ADMINISTRATIVE_INCIDENTS, PERSONNEL: PERSONNEL_INCIDENTS}


@dataclass(frozen=True)
class Count:
    """A count from another source: None means "not collected"."""

    count: int | None
    approx: bool = False


@dataclass(frozen=True)
class StatRow:
    """One printed row: key (category or board id), label, count, estimate flag."""

    key: str
    label: str
    count: int
    approx: bool = False

    def text(self, lang: str = "sv") -> str:
        """'13', or 'Ca 650' for an estimate."""
        return (
            f"{'Ca' if lang == 'sv' else 'Approx.'} {self.count}"
            if self.approx
            else str(self.count)
        )


@dataclass(frozen=True)
class IncidentTables:
    """The three tables (None when not collected), the other areas' counts, those not collected."""

    year: int
    it_security: list[StatRow] | None
    equipment: list[StatRow] | None
    personal_data: list[StatRow] | None
    not_collected: list[str]
    #: OTHER_AREAS key → count, for the areas that were counted (in OTHER_AREAS order)
    areas: dict[str, int] = field(default_factory=dict)


def incident_year(incident: Incident, tz: str = DEFAULT_TIMEZONE) -> int:
    """The year an incident counts in: the local year of its time of awareness."""
    return incident.aware_at.astimezone(ZoneInfo(tz)).year


def row_key(incident: Incident) -> tuple[str, str] | None:
    """(table, row key) of an incident in the three tables, or None."""
    if incident.subkind in IT_CATEGORIES:
        return IT_SECURITY, incident.subkind
    if incident.category == PHYSICAL and incident.subkind == EQUIPMENT_LOST:
        return EQUIPMENT, incident.equipment
    return None


def area_key(incident: Incident) -> str | None:
    """The OTHER_AREAS key of an incident (burglary, personnel, administrative), or None."""
    if incident.category == PHYSICAL and incident.subkind in OTHER_AREAS:
        return incident.subkind
    return _AREA_OF.get(incident.category)


def incident_tables(
    year: int,
    incidents: Iterable[Incident],
    boards: Iterable[tuple[str, str]],
    other: Mapping[tuple[str, str], Count] | None = None,
    tz: str = DEFAULT_TIMEZONE,
    lang: str = "sv",
) -> IncidentTables:
    """The year's incident tables.

    Args:
        year: the report year.
        incidents: registered incidents (any years; those of `year` are counted).
        boards: (board id, name) of the boards to list (every one, zeros included), listed in
            Swedish order.
        other: counts from other sources keyed (table id, row key); table ids of `models.report.figures`
            (it-sakerhet, utrustning, personuppgiftsincidenter with board ids, omraden with
            OTHER_AREAS keys; ej-insamlat rows are accepted and change nothing).
        tz: the organisation's timezone (decides which year an incident belongs to).
        lang: language of the row labels (board names are as registered).
    """
    other = dict(other or {})
    mine = [i for i in incidents if incident_year(i, tz) == year]
    registered: dict[tuple[str, str], int] = {}
    for incident in mine:
        for key in (
            row_key(incident),
            (PERSONAL_DATA, incident.board_id) if incident.personal_data else None,
        ):
            if key:
                registered[key] = registered.get(key, 0) + 1
    it_rows = _table(IT_SECURITY, IT_CATEGORIES, {}, registered, other, lang)
    eq_rows = _table(EQUIPMENT, EQUIPMENT_CATEGORIES, EXTRA_EQUIPMENT, registered, other, lang)
    board_vocab = {b: {"sv": name} for b, name in sorted(boards, key=lambda b: sv_key(b[1]))}
    if any(table == PERSONAL_DATA for table, _ in registered):  # the register is complete
        other = {key: count for key, count in other.items() if key[0] != PERSONAL_DATA}
    pd_rows = _table(PERSONAL_DATA, board_vocab, {}, registered, other, lang)
    areas = _areas(mine, other)
    missing = [k for k in OTHER_AREAS if k not in areas]
    return IncidentTables(year, it_rows, eq_rows, pd_rows, missing, areas)


def _areas(mine: list[Incident], other: Mapping[tuple[str, str], Count]) -> dict[str, int]:
    """Registered incidents plus other-source counts of each area that has either."""
    registered = [area_key(i) for i in mine]
    out = {}
    for key in OTHER_AREAS:
        counted = (other.get((AREA_COUNTS, key)) or Count(None)).count
        if key in registered or counted is not None:
            out[key] = registered.count(key) + (counted or 0)
    return out


def _table(table, vocab, extra, registered, other, lang) -> list[StatRow] | None:
    keys = list(vocab) + list(extra)
    sources = [
        (table, k) in registered or (other.get((table, k)) or Count(None)).count is not None
        for k in keys
    ]
    if not any(sources):
        return None
    rows = []
    for key in keys:
        extra_count = other.get((table, key)) or Count(None)
        count = registered.get((table, key), 0) + (extra_count.count or 0)
        if key in extra and not count:
            continue
        entry = vocab.get(key) or extra[key]
        label = entry.get(lang, entry["sv"])
        rows.append(
            StatRow(key, label, count, extra_count.approx and extra_count.count is not None)
        )
    return rows


def figures_as_counts(figures: Iterable) -> dict[tuple[str, str], Count]:
    """IncidentFigure rows (imported or entered) → the `other` mapping of `incident_tables`."""
    return {(f.table_id, f.category): Count(f.count, f.approx) for f in figures}
