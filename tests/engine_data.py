"""A small organisation for the engine's tests, written straight into the tables, then planned."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlmodel import select

from models import db
from models.cycle.tables import Assignment, StepInstance
from models.org import Board, Organisation, Person, PersonRole, Unit

STHLM = ZoneInfo("Europe/Stockholm")

#: person id → roles (ROLE@SCOPE or ROLE)
PEOPLE = {
    "anna": ["kontaktperson@socialforvaltningen"],
    "bo": ["chef@socialforvaltningen"],
    "cecilia": ["dataskyddskontakt@socialnamnden"],
    "david": ["informationssakerhetssamordnare"],
    "eva": ["dataskyddsombud"],
    "frida": ["it-sakerhetsansvarig"],
    "gustav": ["kontaktperson@kommunledningskontoret"],
    "helena": ["chef@kommunledningskontoret"],
    "ivar": ["dataskyddskontakt@kommunstyrelsen"],
}


def local(*args) -> datetime:
    """A local Stockholm time as an aware UTC datetime."""
    return datetime(*args, tzinfo=STHLM).astimezone(UTC)


def seed(year: int = 2027, *, language: str = "sv", people: dict | None = None) -> None:
    """Organisation, two boards, two units, people with roles; the year planned."""
    from models.cycle.planning import plan_cycle

    with db.session() as s:
        s.add(Organisation(name="Testkommun", language=language))
        s.add(Board(id="socialnamnden", name="Socialnämnden"))
        s.add(Board(id="kommunstyrelsen", name="Kommunstyrelsen"))
        s.flush()
        s.add(Unit(id="socialforvaltningen", name="Socialförvaltningen", board_id="socialnamnden"))
        s.add(Unit(id="kommunledningskontoret", name="Kommunledningskontoret",
                   board_id="kommunstyrelsen"))
        s.flush()
        for pid, roles in (people or PEOPLE).items():
            s.add(Person(id=pid, name=pid.capitalize() + " Test", email=f"{pid}@example.se"))
            s.flush()
            for role in roles:
                name, _, scope = role.partition("@")
                s.add(PersonRole(person_id=pid, role=name, scope_id=scope))
    with db.session() as s:
        plan_cycle(year, session=s)


def assignment(step_key: str, scope_id: str, year: int = 2027) -> Assignment:
    """The assignment of a step instance for a scope."""
    with db.session() as s:
        step = s.exec(select(StepInstance).where(StepInstance.key == step_key,
                                                 StepInstance.year == year)).one()
        return s.exec(select(Assignment).where(Assignment.step_instance_id == step.id,
                                               Assignment.scope_id == scope_id)).one()


def submit(step_key: str, scope_id: str, at: datetime, by: str = "anna") -> None:
    """Mark an assignment submitted (what the portal does)."""
    row = assignment(step_key, scope_id)
    with db.session() as s:
        row = s.get(Assignment, row.id)
        row.submitted_at, row.submitted_by = at, by
        s.add(row)


def submit_all_due_before(day, at: datetime) -> int:
    """Mark every assignment of steps due before `day` submitted (a quiet start for a test)."""
    with db.session() as s:
        steps = s.exec(select(StepInstance.id).where(StepInstance.due < day)).all()
        rows = s.exec(select(Assignment).where(Assignment.step_instance_id.in_(steps))).all()
        for row in rows:
            row.submitted_at, row.submitted_by = at, "test"
            s.add(row)
        return len(rows)


def tick(at: datetime, limit: int = 500) -> tuple[dict, dict]:
    """One tick without Prefect: record what is due, deliver every batch (the flow's loop)."""
    from models.notify.plan import record_due
    from tasks.deliver import deliver_due

    with db.session() as s:
        recorded = record_due(at, session=s)
    return recorded, deliver_due(at, limit, max_batches=10_000)

