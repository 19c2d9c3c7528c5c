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
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from sqlmodel import Session

from models import roles
from models.cycle.forms import Form, get_form
from models.links import LinkClaims
from models.settings import get_settings
from portal import reads


class AccessDenied(Exception):
    """The link is genuine but does not (or no longer) give its holder this assignment."""


@dataclass
class Opened:
    """Everything a portal page of one assignment needs."""

    #: plain rows (portal.reads): assignment id/scope_kind/scope_id/retired_at; step columns.
    assignment: SimpleNamespace
    step: SimpleNamespace
    form: Form
    person: Responsible
    lang: str
    tz: ZoneInfo
    scope_name: str
    responsible: list[Responsible]
    closes_on: date
    closed: bool
    latest: SimpleNamespace | None
    draft: SimpleNamespace | None

    def local(self, moment: datetime) -> str:
        """A stored UTC time as local `YYYY-MM-DD HH:MM`."""
        return moment.astimezone(self.tz).strftime("%Y-%m-%d %H:%M")

    def name_of(self, person_id: str) -> str:
        """The name of a responsible person, or the id when unknown."""
        for person in self.responsible + [self.person]:
            if person.id == person_id:
                return person.name
        return person_id


def open_assignment(claims: LinkClaims, *, session: Session, now: datetime) -> Opened:
    """Load the assignment of a verified link, checking that its person answers for it."""
    ctx = reads.assignment_context(claims.assignment_id, session)
    if ctx is None or not ctx.step.form:
        raise AccessDenied("no such questionnaire assignment")
    assignment, step = ctx.assignment, ctx.step
    # The responsible people include the link's person, or the link no longer applies to them.
    responsible = responsible_people(assignment, step, session=session)
    person = next((p for p in responsible if p.id == claims.person_id), None)
    if person is None:
        raise AccessDenied("the person does not answer for this assignment")
    lang = ctx.language if ctx.language in ("sv", "en") else "sv"
    tz = ZoneInfo(ctx.timezone or get_settings().timezone)
    closes_on = step.due + timedelta(days=get_settings().portal_grace_days)
    closed = (
        now.astimezone(tz).date() > closes_on
        or step.retired_at is not None
        or assignment.retired_at is not None
    )
    whole = ctx.org_name or ("hela organisationen" if lang == "sv" else "the organisation")
    return Opened(
        assignment=assignment,
        step=step,
        form=get_form(step.form),
        person=person,
        lang=lang,
        tz=tz,
        scope_name=ctx.scope_name
        or (whole if assignment.scope_kind == "organisation" else assignment.scope_id),
        responsible=responsible,
        closes_on=closes_on,
        closed=closed,
        latest=ctx.latest,
        draft=ctx.draft,
    )


@dataclass(frozen=True)
class Responsible:
    """Who answers for an assignment: only what the pages show (no e-mail addresses)."""

    id: str
    name: str


def responsible_people(assignment, step, *, session: Session) -> list[Responsible]:
    """Active people holding the step's audience role for the assignment's own scope."""
    wanted = roles.step_roles(step.audience_role)
    scope = "" if assignment.scope_kind == "organisation" else assignment.scope_id
    return [Responsible(pid, name) for pid, name in reads.responsible(wanted, scope, session)]
