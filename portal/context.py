"""What a link opens: the assignment, its step and form, who answers, and whether it is closed.

**When a step closes**: answers can be saved and (re)submitted from the moment the link arrives
until the end of the step's due date plus `settings.portal_grace_days` (default 30 days), in the
organisation's timezone. After that, or once the step or assignment is retired (the wheel was
re-planned without it), the page is read-only. The grace period lets a contact correct an answer
after the deadline while the coordinator is still compiling; a late first answer is still accepted
and simply shows as late in status.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_
from sqlmodel import Session, select

from models.cycle import Assignment, StepInstance
from models.forms import Form, get_form
from models.links import LinkClaims
from models.org import Board, Organisation, Person, PersonRole, Unit
from models.responses import ResponseDraft, ResponseVersion, get_draft, latest_version
from models.settings import get_settings

COORDINATOR = "informationssakerhetssamordnare"


class AccessDenied(Exception):
    """The link is genuine but does not (or no longer) give its holder this assignment."""


@dataclass
class Opened:
    """Everything a portal page of one assignment needs."""

    assignment: Assignment
    step: StepInstance
    form: Form
    person: Responsible
    lang: str
    tz: ZoneInfo
    scope_name: str
    responsible: list[Responsible]
    closes_on: date
    closed: bool
    latest: ResponseVersion | None
    draft: ResponseDraft | None

    def local(self, moment: datetime) -> str:
        """A stored UTC time as local `YYYY-MM-DD HH:MM`."""
        return moment.astimezone(self.tz).strftime("%Y-%m-%d %H:%M")

    def name_of(self, person_id: str) -> str:
        """The name of a responsible person, or the id when unknown."""
        for person in self.responsible + [self.person]:
            if person.id == person_id:
                return person.name
        return person_id


def organisation(session: Session) -> tuple[str, ZoneInfo]:
    """The organisation's language and timezone (defaults when no organisation is loaded)."""
    org = session.get(Organisation, 1)
    lang = org.language if org and org.language in ("sv", "en") else "sv"
    return lang, ZoneInfo(org.timezone if org else get_settings().timezone)


def open_assignment(claims: LinkClaims, *, session: Session, now: datetime) -> Opened:
    """Load the assignment of a verified link, checking that its person answers for it."""
    assignment, step, org, scope = _assignment_row(claims.assignment_id, session)
    # The responsible people include the link's person, or the link no longer applies to them.
    responsible = responsible_people(assignment, step, session=session)
    person = next((p for p in responsible if p.id == claims.person_id), None)
    if person is None:
        raise AccessDenied("the person does not answer for this assignment")
    lang = org[0] if org[0] in ("sv", "en") else "sv"
    tz = ZoneInfo(org[1] or get_settings().timezone)
    closes_on = step.due + timedelta(days=get_settings().portal_grace_days)
    closed = (
        now.astimezone(tz).date() > closes_on
        or step.retired_at is not None
        or assignment.retired_at is not None
    )
    fallback = org[2] or ("hela organisationen" if lang == "sv" else "the organisation")
    return Opened(
        assignment=assignment,
        step=step,
        form=get_form(step.form),
        person=person,
        lang=lang,
        tz=tz,
        scope_name=scope
        or (assignment.scope_id if assignment.scope_kind != "organisation" else fallback),
        responsible=responsible,
        closes_on=closes_on,
        closed=closed,
        latest=latest_version(assignment.id, session=session),
        draft=get_draft(assignment.id, session=session),
    )


def _assignment_row(assignment_id: int | None, session: Session):
    """Assignment, step, organisation (language, timezone, name) and scope name in one query."""
    stmt = (
        select(
            Assignment,
            StepInstance,
            Organisation.language,
            Organisation.timezone,
            Organisation.name,
            Unit.name,
            Board.name,
        )
        .join(StepInstance, StepInstance.id == Assignment.step_instance_id)
        .outerjoin(Organisation, Organisation.id == 1)
        .outerjoin(Unit, and_(Assignment.scope_kind == "unit", Unit.id == Assignment.scope_id))
        .outerjoin(Board, and_(Assignment.scope_kind == "board", Board.id == Assignment.scope_id))
        .where(Assignment.id == assignment_id)
    )
    row = session.exec(stmt).first()
    if row is None or not row[1].form:
        raise AccessDenied("no such questionnaire assignment")
    assignment, step, language, timezone, org_name, unit_name, board_name = row
    return assignment, step, (language, timezone, org_name), unit_name or board_name


@dataclass(frozen=True)
class Responsible:
    """Who answers for an assignment: only what the pages show (no e-mail addresses)."""

    id: str
    name: str


def responsible_people(
    assignment: Assignment, step: StepInstance, *, session: Session
) -> list[Responsible]:
    """Active people holding the step's audience role for the assignment's own scope."""
    roles = [r.strip() for r in step.audience_role.split(",") if r.strip()]
    scope = "" if assignment.scope_kind == "organisation" else assignment.scope_id
    stmt = (
        select(Person.id, Person.name)
        .join(PersonRole, PersonRole.person_id == Person.id)
        .where(PersonRole.role.in_(roles), PersonRole.scope_id == scope, Person.active)
        .distinct()
        .order_by(Person.name, Person.id)
    )
    return [Responsible(pid, name) for pid, name in session.exec(stmt)]


def scope_name(assignment: Assignment, lang: str, *, session: Session) -> str:
    """The display name of the board, unit or organisation an assignment is for."""
    if assignment.scope_kind == "board":
        board = session.get(Board, assignment.scope_id)
        return board.name if board else assignment.scope_id
    if assignment.scope_kind == "unit":
        unit = session.get(Unit, assignment.scope_id)
        return unit.name if unit else assignment.scope_id
    org = session.get(Organisation, 1)
    return org.name if org else ("hela organisationen" if lang == "sv" else "the organisation")


def coordinators(*, session: Session) -> list[Person]:
    """The information-security coordinators: whom to contact about a link."""
    stmt = (
        select(Person)
        .join(PersonRole, PersonRole.person_id == Person.id)
        .where(PersonRole.role == COORDINATOR, Person.active)
        .order_by(Person.name)
    )
    return list(session.exec(stmt))
