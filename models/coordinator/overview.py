"""The year at a glance for the web view: the numbers of `status` (models.cycle.status), who
answers for each assignment, what the ledger sent them, and the "remind now" button's record.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func
from sqlmodel import Session, select

from models import organisation
from models.cycle.status import (
    AssignmentStatus,
    StepStatus,
    active_steps,
    assignment_status,
    step_status,
)
from models.cycle.tables import Assignment, StepInstance
from models.i18n import gettext
from models.notify import kinds, ledger
from models.notify.ledger import Notification
from models.org import Person
from models.roles import UNIT_RECIPIENT, Viewer, audience, load_directory


@dataclass
class StepRow:
    """A step of the year as the overview shows it: `status`'s row plus the escalated count."""

    status: StepStatus
    escalated: int


@dataclass
class Contact:
    """Someone who answers for an assignment."""

    person_id: str
    name: str
    email: str


@dataclass
class Sent:
    """One ledger row about an assignment: what, to whom, when (None while pending)."""

    kind: str
    heading: str
    recipient: str
    state: str
    sent_at: datetime | None
    occasion: str


@dataclass
class AssignmentRow:
    """An assignment with whom to chase and what was sent."""

    status: AssignmentStatus
    days_late: int
    contacts: list[Contact] = field(default_factory=list)
    sent: list[Sent] = field(default_factory=list)


def year_rows(year: int, at: datetime, viewer: Viewer, *, session: Session,
              info: organisation.OrgInfo | None = None,
              steps: list[StepInstance] | None = None) -> list[StepRow]:
    """The steps of `year` with the viewer's numbers (a chef's only count their units);
    `info` and `steps` (active_steps) when the caller has read them already."""
    units = None if viewer.org_wide else viewer.units
    steps = active_steps(year, session) if steps is None else steps
    rows = step_status(year, at, session=session, units=units, info=info, steps=steps)
    escalated = _escalated([s.id for s in steps], units, session)
    keys = {s.key: s.id for s in steps}
    return [StepRow(r, escalated.get(keys.get(r.key), 0)) for r in rows]


def _escalated(step_ids: list[int], units, session: Session) -> dict[int, int]:
    # By the year's step instance ids (read already): no join with the step table.
    n, a = Notification, Assignment
    query = (
        select(a.step_instance_id, func.count(func.distinct(n.assignment_id)))
        .join(a, a.id == n.assignment_id)
        .where(n.kind == kinds.ESCALATION, a.step_instance_id.in_(step_ids or [0]))
        .group_by(a.step_instance_id)
    )
    if units is not None:
        query = query.where(a.scope_kind == "unit", a.scope_id.in_(sorted(units) or [""]))
    return dict(session.exec(query).all())


def step_assignments(year: int, key: str, at: datetime, viewer: Viewer, *, session: Session):
    """The step instance `key` and its assignments the viewer may see, late ones first."""
    step = session.exec(
        select(StepInstance).where(StepInstance.year == year, StepInstance.key == key)
    ).first()
    if step is None:
        return None, []
    rows = [r for r in assignment_status(year, key, at, session=session)
            if viewer.sees(r.scope_kind, r.scope_id)]
    today = organisation.local_today(at, session=session)
    return step, _detail(rows, {step.id: step}, today, session)


def unit_assignments(year: int, unit_id: str, at: datetime, *, session: Session):
    """Every assignment of `unit_id` in `year`, by step (the chef's page of their unit)."""
    steps = {s.id: s for s in session.exec(select(StepInstance).where(
        StepInstance.year == year, StepInstance.retired_at.is_(None)))}
    out = []
    for step in sorted(steps.values(), key=lambda s: (s.opens, s.key)):
        rows = [r for r in assignment_status(year, step.key, at, session=session)
                if r.scope_kind == "unit" and r.scope_id == unit_id]
        out += rows
    today = organisation.local_today(at, session=session)
    return _detail(out, steps, today, session)


def _detail(rows, steps_by_id, today: date, session: Session) -> list[AssignmentRow]:
    directory = load_directory(session=session)
    assignments = {a.id: a for a in session.exec(
        select(Assignment).where(Assignment.id.in_([r.assignment_id for r in rows] or [0])))}
    sent = _sent(list(assignments), session)
    wanted = {pid for a in assignments.values()
              for pid in audience(steps_by_id[a.step_instance_id], a, directory)}
    people = {p.id: p for p in session.exec(select(Person).where(Person.id.in_(wanted or {""})))}
    out = []
    for row in rows:
        a = assignments[row.assignment_id]
        step = steps_by_id[a.step_instance_id]
        ids = [i for i in audience(step, a, directory) if not i.startswith(UNIT_RECIPIENT)]
        contacts = [Contact(i, people[i].name, people[i].email) for i in ids if i in people]
        late = (today - step.due).days if row.overdue else 0
        out.append(AssignmentRow(row, late, contacts, sent.get(a.id, [])))
    out.sort(key=lambda r: (-r.days_late, r.status.scope_name))
    return out


def _sent(assignment_ids: list[int], session: Session) -> dict[int, list[Sent]]:
    names = dict(session.exec(select(Person.id, Person.name).join(
        Notification, Notification.recipient_id == Person.id).where(
        Notification.assignment_id.in_(assignment_ids or [0]))).all())
    query = (select(Notification).where(Notification.assignment_id.in_(assignment_ids or [0]))
             .order_by(Notification.id))
    out: dict[int, list[Sent]] = defaultdict(list)
    lang = organisation.info(session=session).language
    for n in session.exec(query):
        out[n.assignment_id].append(Sent(
            n.kind, gettext(kinds.kind(n.kind).heading, lang),
            names.get(n.recipient_id, n.recipient_id),
            n.state, n.sent_at, n.occasion))
    return out


def remind_now(assignment_id: int, viewer: Viewer, *, session: Session, now: datetime) -> int:
    """Record a manual reminder of the assignment to everyone who answers for it. Commits.

    The ledger key is (manual-reminder, assignment:<id>, manual:<local date>, person): pressing
    again the same day records nothing, so each person gets it at most once a day. Returns how
    many new rows were recorded (0: already reminded today, submitted, or nobody to remind).
    """
    a = session.get(Assignment, assignment_id)
    if a is None or a.submitted_at is not None or a.retired_at is not None:
        return 0
    step = session.get(StepInstance, a.step_instance_id)
    scope = organisation.scope_name(a.scope_kind, a.scope_id, "sv", session=session)
    content = ledger.Content(
        title={"sv": step.title_sv, "en": step.title_en}, due=step.due.isoformat(), scope=scope,
        note={lang: gettext("{name} påminner om att svaret saknas.", lang, name=viewer.name)
              for lang in ("sv", "en")},
        link={"kind": "assignment", "subject": str(a.id)},
    ).model_dump()
    day = organisation.local_today(now, session=session).isoformat()
    people = [i for i in audience(step, a, load_directory(session=session))
              if not i.startswith(UNIT_RECIPIENT)]
    items = [ledger.LedgerItem(kinds.MANUAL_REMINDER, f"assignment:{a.id}", f"manual:{day}", pid,
                               content, step_instance_id=step.id, assignment_id=a.id)
             for pid in people]
    return ledger.enqueue(items, session=session, now=now)
