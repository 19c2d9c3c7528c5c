"""The year's incident tables from the store: the register, imported figures and form answers.

The one place both `arshjul incident stats` and the annual report get their incident numbers
from; the counting rules themselves are `models.report.incident_stats.incident_tables`.

- Registered incidents count in the local year (the organisation's timezone) of their awareness.
- Other-source counts per row come from the year's imported or entered figures (`IncidentFigure`,
  `arshjul figures import`) when there are any for that row, else from the sum of the quarterly
  `incidentstatistik` answers (numbers per row, per area, and breaches per unit's board).
- Breach rows list the boards of the year's imported breach figures when there are some (an
  earlier year keeps its own boards), else today's active boards; a board of a registered breach
  is always listed.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import or_
from sqlmodel import Session, select

from models.cycle.submitted import answers_for  # the one reader of submitted answers
from models.incidents.register import Incident, org_timezone
from models.org import Board, Unit
from models.report.figures import (
    AREA_COUNTS,
    EQUIPMENT,
    IT_SECURITY,
    OTHER_AREAS,
    PERSONAL_DATA,
    TABLE_CATEGORIES,
    IncidentFigure,
)
from models.report.incident_stats import (
    Count,
    IncidentTables,
    figures_as_counts,
    incident_tables,
    incident_year,
)

FORM = "incidentstatistik"


def _number(value) -> int | None:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def answer_counts(answers: list, unit_board: dict[str, str]) -> dict[tuple[str, str], Count]:
    """Sum the quarterly `incidentstatistik` answers (unit scope) into other-source counts.

    A question answered "not collected" (or not answered) adds nothing: a row or area nobody
    counted stays uncounted.
    """
    out: dict[tuple[str, str], Count] = {}

    def add(key: tuple[str, str], value: int | None) -> None:
        if value is not None:
            out[key] = Count((out.get(key) or Count(0)).count + value)

    for answer in answers:
        data = answer.data
        for table in (IT_SECURITY, EQUIPMENT):
            for key in TABLE_CATEGORIES[table]:
                add((table, key), _number(data.get(key)))
        for area in OTHER_AREAS:
            add((AREA_COUNTS, area), _number(data.get(area)))
        board = unit_board.get(answer.scope_id)
        if board:
            add((PERSONAL_DATA, board), _number(data.get("personuppgiftsincidenter")))
    return out


def year_tables(year: int, *, session: Session, lang: str = "sv") -> IncidentTables:
    """The tables of `year` as `arshjul incident stats` and the annual report print them."""

    figures = session.exec(
        select(IncidentFigure).where(IncidentFigure.year == year).order_by(IncidentFigure.position)
    ).all()
    unit_board = {u.id: u.board_id for u in session.exec(select(Unit)).all()}
    other = answer_counts(answers_for(session, year, FORM), unit_board)
    other.update(figures_as_counts(figures))  # the coordinator's figures win over form sums
    tz = org_timezone(session=session)
    incidents = _registered(session, year)
    breach_boards = {
        i.board_id for i in incidents if i.personal_data and incident_year(i, tz) == year
    }
    boards = _boards(session, figures, breach_boards)
    return incident_tables(year, incidents, boards, other, tz, lang)


def _registered(session: Session, year: int) -> list[Incident]:
    """Incidents aware within a day of the year; `incident_tables` keeps the local year's."""
    start = datetime(year, 1, 1, tzinfo=UTC) - timedelta(days=1)
    end = datetime(year + 1, 1, 1, tzinfo=UTC) + timedelta(days=1)
    query = select(Incident).where(Incident.aware_at >= start, Incident.aware_at < end)
    return list(session.exec(query).all())


def _boards(session: Session, figures, breach_boards: set[str]) -> list[tuple[str, str]]:
    """(id, name) of the breach table's boards: imported ones, else active; plus breach boards."""
    boards = {f.category: f.label or f.category for f in figures if f.table_id == PERSONAL_DATA}
    if boards:
        query = select(Board).where(Board.id.in_(breach_boards - set(boards)))
    else:
        query = select(Board).where(or_(Board.active, Board.id.in_(breach_boards)))
    boards.update({b.id: b.name for b in session.exec(query).all()})
    return list(boards.items())
