"""The year's incident tables from the store: the register, imported figures and form answers.

Other-source counts per row come from the year's imported or entered figures (`IncidentFigure`,
`arshjul figures import`) when there are any for that row, else from the sum of the quarterly
`incidentstatistik` answers. The counting rule itself is `models.incident_stats.incident_tables`.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select

from models.figures import (
    EQUIPMENT,
    IT_SECURITY,
    NOT_COLLECTED,
    OTHER_AREAS,
    PERSONAL_DATA,
    TABLE_CATEGORIES,
    IncidentFigure,
)
from models.incident_stats import Count, IncidentTables, figures_as_counts, incident_tables
from models.incidents import Incident, org_timezone
from models.org import Board, Unit

FORM = "incidentstatistik"


def _number(value) -> int | None:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def answer_counts(answers: list, unit_board: dict[str, str]) -> dict[tuple[str, str], Count]:
    """Sum the quarterly `incidentstatistik` answers (unit scope) into other-source counts."""
    out: dict[tuple[str, str], Count] = {}

    def add(key: tuple[str, str], value: int) -> None:
        out[key] = Count((out.get(key) or Count(0)).count + value)

    for answer in answers:
        data = answer.data
        for table in (IT_SECURITY, EQUIPMENT):
            for key in TABLE_CATEGORIES[table]:
                if _number(data.get(key)) is not None:
                    add((table, key), _number(data.get(key)))
        board = unit_board.get(answer.scope_id)
        if board and _number(data.get("personuppgiftsincidenter")) is not None:
            add((PERSONAL_DATA, board), _number(data.get("personuppgiftsincidenter")))
    for area in OTHER_AREAS:
        if answers and not any(_number(a.data.get(area)) is not None for a in answers):
            out[(NOT_COLLECTED, area)] = Count(None)
    return out


def year_tables(year: int, *, session: Session, lang: str = "sv") -> IncidentTables:
    """The incident tables of `year` as the annual report prints them."""
    from models.report_sources import answers_for  # the report's reader of submitted answers

    figures = session.exec(select(IncidentFigure).where(IncidentFigure.year == year)).all()
    unit_board = {u.id: u.board_id for u in session.exec(select(Unit)).all()}
    other = answer_counts(answers_for(session, year, FORM), unit_board)
    other.update(figures_as_counts(figures))
    boards = [(b.id, b.name) for b in session.exec(select(Board).where(Board.active)).all()]
    # a day's margin each side: the year is decided in local time by incident_tables
    start = datetime(year, 1, 1, tzinfo=UTC) - timedelta(days=1)
    end = datetime(year + 1, 1, 1, tzinfo=UTC) + timedelta(days=1)
    incidents = session.exec(
        select(Incident).where(Incident.aware_at >= start, Incident.aware_at < end)
    ).all()
    return incident_tables(year, incidents, boards, other, org_timezone(session=session), lang)
