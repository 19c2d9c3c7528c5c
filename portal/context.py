"""What a link opens: the assignment, its step and form, who answers, what the link's person may
do (models.roles.may_open: answer, oversee, or see a campaign unit's progress), and whether it is
closed.

**When a step closes**: answers can be saved and (re)submitted from the moment the link arrives
until the end of the step's due date plus `settings.portal_grace_days` (default 30 days), in the
organisation's timezone. After that, or once the step or assignment is retired (the wheel was
re-planned without it), the page is read-only. The grace period lets a contact correct an answer
after the deadline while the coordinator is still compiling; a late first answer is still accepted
and simply shows as late in status.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from sqlmodel import Session

from models import roles
from models.cycle.forms import Form, get_form
from models.i18n import gettext
from models.links import ASSIGNMENT, LinkClaims, last_answer_day, verify_token
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
    form: Form | None
    person: Responsible
    lang: str
    tz: ZoneInfo
    scope_name: str
    responsible: list[Responsible]
    closes_on: date
    closed: bool
    latest: SimpleNamespace | None
    draft: SimpleNamespace | None
    #: what the link's person may do (models.roles: ANSWER, OVERSEE, UNIT_PROGRESS)
    access: str = roles.ANSWER

    @property
    def on_behalf(self) -> bool:
        """The person answers in the responsible contact's place (escalated to them)."""
        return self.access == roles.OVERSEE

    def late(self, now: datetime) -> bool:
        """Past its due date (local) and not submitted."""
        today = now.astimezone(self.tz).date()
        return self.assignment.submitted_at is None and today > self.step.due

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
    """Load the assignment of a verified link with what its person may do (models.roles)."""
    ctx = reads.page_rows(claims.assignment_id, session)
    if ctx is None:
        raise AccessDenied("no such assignment")
    assignment, step = ctx.assignment, ctx.step
    work = roles.Work.of(step, assignment)
    directory, names = ctx.directory, ctx.people
    if directory is None:  # the organisation's assignment: the holders of the rule's roles
        directory, names = reads.directory_and_people(
            access_roles(work), session, scope_kind=work.scope_kind, scope_id=work.scope_id)
    access = roles.may_open(claims.person_id, work, directory)
    if access is None:
        raise AccessDenied("the person neither answers for nor oversees this assignment")
    responsible = _named(roles.audience(work, work, directory), names)
    lang = ctx.language if ctx.language in ("sv", "en") else "sv"
    tz = ZoneInfo(ctx.timezone or get_settings().timezone)
    closes_on = last_answer_day(step.due)
    closed = now.astimezone(tz).date() > closes_on or bool(step.retired_at or assignment.retired_at)
    whole = ctx.org_name or gettext("hela organisationen", lang)
    return Opened(
        assignment=assignment,
        step=step,
        form=get_form(step.form) if step.form else None,
        person=_viewer(claims.person_id, responsible, names, session),
        lang=lang,
        tz=tz,
        scope_name=ctx.scope_name
        or (whole if assignment.scope_kind == "organisation" else assignment.scope_id),
        responsible=responsible,
        closes_on=closes_on,
        closed=closed,
        latest=ctx.latest,
        draft=ctx.draft,
        access=access,
    )


def access_roles(work: roles.Work) -> set[str]:
    """The roles `roles.may_open` looks at for `work` (the directory loads only these)."""
    return {*roles.step_roles(work.audience_role), *work.escalate_to, *roles.OVERSEERS}


@dataclass(frozen=True)
class Responsible:
    """A person on a page: name, and the e-mail address shown to those who oversee the work."""

    id: str
    name: str
    email: str = ""


def _viewer(person_id: str, responsible: list[Responsible], names: dict,
            session: Session) -> Responsible:
    found = next((p for p in responsible if p.id == person_id), None)
    if found is None and person_id in names:
        return Responsible(person_id, *names[person_id])
    return found or (people_named([person_id], session) or [Responsible(person_id, person_id)])[0]


def _named(ids, names: dict[str, tuple[str, str]]) -> list[Responsible]:
    """people_named from names already read (the directory's holders), by name."""
    found = [Responsible(i, *names[i]) for i in ids if i in names]
    return sorted(found, key=lambda p: (p.name, p.id))


def people_named(ids, session: Session) -> list[Responsible]:
    """The people `ids` (unit channels left out) with name and e-mail, by name."""
    ids = [i for i in ids if not i.startswith(roles.UNIT_RECIPIENT)]
    return [Responsible(pid, name, email or "") for pid, name, email in reads.people(ids, session)]


def open_link(token: str, *, session: Session, now: datetime) -> Opened:
    """Verify an assignment link and open it (LinkError, AccessDenied when it does not)."""
    claims = verify_token(token, kind=ASSIGNMENT, now=now)
    return open_assignment(claims, session=session, now=now)
