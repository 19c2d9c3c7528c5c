"""Where the report's numbers come from: imported figures first, then the store's own records.

Each function returns None when nothing was collected for the year, so the report can say so
instead of printing an empty table or a zero that is not a zero.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import Session, select

from models.cycle import Assignment, StepInstance
from models.figures import (
    EQUIPMENT,
    IT_SECURITY,
    NOT_COLLECTED,
    OTHER_AREAS,
    PERSONAL_DATA,
    TABLE_CATEGORIES,
    ActionFigure,
    IncidentFigure,
    MaturityFigure,
)
from models.org import Board, Unit

NOT_COLLECTED_MARK = "not_collected"


@dataclass
class Answer:
    """One submitted questionnaire answer of one scope."""

    scope_kind: str
    scope_id: str
    submitted_at: datetime | None
    data: dict


@dataclass
class CountRow:
    key: str
    label: str
    count: int | None
    approx: bool = False


def assignments(session: Session, year: int, step_id: str) -> list[tuple[StepInstance, Assignment]]:
    """The live assignments of a step in a year, with their instance."""
    stmt = (
        select(StepInstance, Assignment)
        .join(Assignment, Assignment.step_instance_id == StepInstance.id)
        .where(StepInstance.year == year, StepInstance.step_id == step_id,
               StepInstance.retired_at.is_(None), Assignment.retired_at.is_(None))
        .order_by(StepInstance.seq, Assignment.scope_id)
    )
    return list(session.exec(stmt).all())


def answers_for(session: Session, year: int, step_id: str) -> list[Answer]:
    """The newest submitted answer of every live assignment of a questionnaire step in a year."""
    from models.responses import latest_versions

    pairs = assignments(session, year, step_id)
    versions = latest_versions([a.id for _s, a in pairs], session=session)
    return [
        Answer(a.scope_kind, a.scope_id, versions[a.id].submitted_at, versions[a.id].values)
        for _s, a in pairs
        if a.id in versions
    ]


def incident_rows(session: Session, year: int, table_id: str) -> list[CountRow] | None:
    """One incident table of the year: imported figures, else questionnaire sums, else None."""
    figures = session.exec(
        select(IncidentFigure)
        .where(IncidentFigure.year == year, IncidentFigure.table_id == table_id)
        .order_by(IncidentFigure.position)
    ).all()
    if figures:
        return [CountRow(f.category, f.label, f.count, f.approx) for f in figures]
    answers = answers_for(session, year, "incidentstatistik")
    if table_id in TABLE_CATEGORIES:
        return _summed(answers, list(TABLE_CATEGORIES[table_id]))
    if table_id == PERSONAL_DATA:
        return _per_board(session, year, answers)
    return None


def _summed(answers: list[Answer], keys: list[str]) -> list[CountRow] | None:
    rows = []
    for key in keys:
        values = [a.data.get(key) for a in answers]
        counted = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
        rows.append(CountRow(key, "", int(sum(counted)) if counted else None))
    return rows if any(r.count is not None for r in rows) else None


def _per_board(session: Session, year: int, answers: list[Answer]) -> list[CountRow] | None:
    """Personal-data breaches per board: the incident register, else the questionnaire sums."""
    boards = sorted(session.exec(select(Board).where(Board.active)).all(), key=lambda b: sv_key(b.name))
    registered = _registered_breaches(session, year)
    if registered is not None:
        return [CountRow(b.id, b.name, registered.get(b.id, 0)) for b in boards]
    unit_board = {u.id: u.board_id for u in session.exec(select(Unit)).all()}
    totals: dict[str, int] = defaultdict(int)
    seen: set[str] = set()
    for answer in answers:
        value = answer.data.get("personuppgiftsincidenter")
        board = unit_board.get(answer.scope_id)
        if board and isinstance(value, int) and not isinstance(value, bool):
            totals[board] += value
            seen.add(board)
    if not seen:
        return None
    return [CountRow(b.id, b.name, totals[b.id] if b.id in seen else None) for b in boards]


def _registered_breaches(session: Session, year: int) -> dict[str, int] | None:
    """Breaches per board from the incident register, or None when the register is unused."""
    try:
        from models.incidents import Incident
    except ImportError:
        return None
    start, end = datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)
    rows = session.exec(select(Incident).where(Incident.aware_at >= start,
                                               Incident.aware_at < end)).all()
    if not rows:
        return None
    out: dict[str, int] = defaultdict(int)
    for incident in rows:
        if incident.personal_data:
            out[incident.board_id] += 1
    return out


def not_collected_areas(session: Session, year: int, *, figures_year: bool) -> list[str]:
    """Areas (OTHER_AREAS keys) without data this year."""
    marked = session.exec(select(IncidentFigure.category).where(
        IncidentFigure.year == year, IncidentFigure.table_id == NOT_COLLECTED)).all()
    if figures_year:
        return [key for key in OTHER_AREAS if key in set(marked)]
    answers = answers_for(session, year, "incidentstatistik")
    return [key for key in OTHER_AREAS if not any(
        isinstance(a.data.get(key), int) and not isinstance(a.data.get(key), bool) for a in answers)]


def has_incident_figures(session: Session, year: int) -> bool:
    return session.exec(select(IncidentFigure.id).where(
        IncidentFigure.year == year,
        IncidentFigure.table_id.in_([IT_SECURITY, EQUIPMENT, PERSONAL_DATA, NOT_COLLECTED]),
    ).limit(1)).first() is not None


def maturity(session: Session, year: int) -> dict[str, float] | None:
    """Infosäkkollen level per area (question id or imported area name), or None."""
    rows = session.exec(select(MaturityFigure).where(MaturityFigure.year == year)
                        .order_by(MaturityFigure.position)).all()
    if rows:
        return {r.area: r.level for r in rows}
    answers = answers_for(session, year, "infosakkollen")
    if not answers:
        return None
    latest = max(answers, key=lambda a: a.submitted_at or datetime.min)
    return {k: float(v) for k, v in latest.data.items()
            if isinstance(v, int | float) and not isinstance(v, bool)}


def actions(session: Session, year: int) -> list[tuple[str, str, str]] | None:
    """(activity, status, comment) of the year's action plan, or None."""
    rows = session.exec(select(ActionFigure).where(ActionFigure.year == year)
                        .order_by(ActionFigure.position)).all()
    if rows:
        return [(r.activity, r.status, r.comment) for r in rows]
    out: dict[str, tuple[str, str, str]] = {}
    for answer in answers_for(session, year, "handlingsplan-status"):
        for row in answer.data.get("aktiviteter") or []:
            name = str(row.get("aktivitet", "")).strip()
            if name:
                out[name] = (name, row.get("status", ""), str(row.get("kommentar") or ""))
    return list(out.values()) or None


def risk_rows(session: Session, year: int) -> dict[str, list[dict]]:
    """Rows of the risk-analysis table per unit (only units that answered)."""
    out: dict[str, list[dict]] = {}
    for answer in answers_for(session, year, "riskanalys"):
        table = next((v for v in answer.data.values() if isinstance(v, list)), [])
        out[answer.scope_id] = [r for r in table if isinstance(r, dict)]
    return out


def sv_key(name: str) -> tuple:
    """Swedish alphabetical order: å, ä, ö after z."""
    order = {"å": "z\u0001", "ä": "z\u0002", "ö": "z\u0003"}
    return tuple("".join(order.get(ch, ch) for ch in name.lower()))


def training(session: Session, year: int) -> dict[str, tuple[int, int]] | None:
    """Training completion per unit: {unit id: (completed, employees)}, or None when not run."""
    try:
        from models import campaigns
    except ImportError:
        return None
    fetch = getattr(campaigns, "completion_per_unit", None)
    return fetch(year, session=session) if fetch else None
