"""Incident statistics of a year: the reference report's three tables, from the register. Pure.

The rows are those of `models.figures` (IT-security sub-kinds; lost/stolen equipment by type;
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
administrative) are not collected when another source marks them so and nothing was registered
for them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from models.figures import (
    EQUIPMENT,
    EQUIPMENT_CATEGORIES,
    EXTRA_EQUIPMENT,
    IT_CATEGORIES,
    IT_SECURITY,
    OTHER_AREAS,
    PERSONAL_DATA,
)
from models.incidents import ADMINISTRATIVE, EQUIPMENT_LOST, PERSONNEL, PHYSICAL, Incident

#: the area key (`models.figures.OTHER_AREAS`) of a registered incident outside the three tables.
_AREA_OF = {ADMINISTRATIVE: "administrativa_incidenter", PERSONNEL: "personell_incidenter"}


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
    """The three tables (None when not collected) and the areas not collected."""

    year: int
    it_security: list[StatRow] | None
    equipment: list[StatRow] | None
    personal_data: list[StatRow] | None
    not_collected: list[str]


def incident_year(incident: Incident, tz: str = "Europe/Stockholm") -> int:
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
    tz: str = "Europe/Stockholm",
    lang: str = "sv",
) -> IncidentTables:
    """The year's incident tables.

    Args:
        year: the report year.
        incidents: registered incidents (any years; those of `year` are counted).
        boards: (board id, name) of the active boards; listed in Swedish order.
        other: counts from other sources keyed (table id, row key); table ids of `models.figures`
            (it-sakerhet, utrustning, personuppgiftsincidenter with board ids, ej-insamlat).
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
    areas = {area_key(i) for i in mine}
    missing = [k for k in OTHER_AREAS if k not in areas and (("ej-insamlat", k) in other)]
    return IncidentTables(year, it_rows, eq_rows, pd_rows, missing)


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


def sv_key(name: str) -> tuple:
    """Swedish alphabetical order: å, ä, ö after z."""
    order = {"å": "z\u0001", "ä": "z\u0002", "ö": "z\u0003"}
    return tuple("".join(order.get(ch, ch) for ch in name.lower()))


def figures_as_counts(figures: Iterable) -> dict[tuple[str, str], Count]:
    """IncidentFigure rows (imported or entered) → the `other` mapping of `incident_tables`."""
    return {(f.table_id, f.category): Count(f.count, f.approx) for f in figures}
