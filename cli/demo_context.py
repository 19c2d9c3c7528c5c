"""What a demo contact knows when answering: their unit, the boards, the unit's registered
breaches in the quarter a statistics form covers (cli/demo_answers.Context)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlmodel import Session, func, select

from cli.demo_answers import Context
from models.cycle.tables import Assignment, StepInstance
from models.incidents.register import Incident
from models.org import Board
from models.records.plan import activities

STATISTICS, FOLLOW_UP = "incidentstatistik", "handlingsplan-status"


def quarter_of(step: StepInstance) -> tuple[datetime, datetime]:
    """The quarter a statistics instance counts: the three months before it opens."""
    end = date(step.opens.year, step.opens.month, 1)
    month = end.month - 3
    start = date(end.year - (month < 1), month + 12 * (month < 1), 1)
    return (datetime.combine(start, datetime.min.time(), UTC),
            datetime.combine(end, datetime.min.time(), UTC))


def breaches(unit: str, step: StepInstance, *, session: Session) -> int:
    """The unit's personal-data breaches in the incident register within the step's quarter."""
    start, end = quarter_of(step)
    return session.exec(select(func.count()).select_from(Incident).where(
        Incident.unit_id == unit, Incident.personal_data, Incident.aware_at >= start,
        Incident.aware_at < end)).one()


def reports_breach(assignment: Assignment, step: StepInstance, *, session: Session) -> bool:
    """A statistics assignment of a unit that had a registered breach in the quarter."""
    return (step.form == STATISTICS and assignment.scope_kind == "unit"
            and breaches(assignment.scope_id, step, session=session) > 0)


def answer_context(assignment_id: int, *, session: Session) -> Context:
    """The answering contact's unit, the active boards' names and the quarter's breaches."""
    assignment = session.get(Assignment, assignment_id)
    step = session.get(StepInstance, assignment.step_instance_id)
    unit = assignment.scope_id if assignment.scope_kind == "unit" else ""
    boards = sorted(b.name for b in session.exec(select(Board).where(Board.active)))
    count = breaches(unit, step, session=session) if unit and step.form == STATISTICS else 0
    planned = [a.title for a in activities(step.year, session=session)
               if unit and a.unit_id == unit] if step.form == FOLLOW_UP else []
    return Context(unit=unit, boards=boards, breaches=count, activities=planned)
