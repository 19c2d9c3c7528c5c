"""Campaigns in the store: start them, keep their members in step with the directory, mark who
is done, and count progress. Query helpers take a keyword-only `session=`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime, time
from typing import NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlmodel import Session, select

from models.bulk import insert_ignore
from models.campaigns.directory import aware_utc
from models.campaigns.rules import Schedule, drive_schedule, training_schedule
from models.campaigns.tables import PASSWORD_RESET, TRAINING, Campaign, CampaignMember
from models.cycle.tables import StepInstance
from models.errors import InputError, NotFoundError
from models.i18n import _
from models.org import Person
from models.settings import DEFAULT_TIMEZONE

TRAINING_STEP = "informationssakerhetsutbildning"
BATCH = 2000


def new_drive(*, now: datetime, deadline: date, start_day: date, population: dict,
              include_elected: bool, force_change: bool, options: dict | None = None) -> Campaign:
    """A password-reset drive starting at `now`, not yet in the store (dry runs show it)."""
    if deadline < start_day:
        raise InputError(_("--deadline {deadline} är före dagens datum ({start_day})", deadline=deadline, start_day=start_day))
    schedule = drive_schedule(start_day, deadline)
    return Campaign(
        kind=PASSWORD_RESET, title_sv="Byt ditt lösenord", title_en="Change your password",
        deadline=deadline, population=population, include_elected=include_elected,
        force_change=force_change, started_at=aware_utc(now), options=options or {},
        **schedule.__dict__)


def start_drive(*, session: Session, **kwargs) -> Campaign:
    """Store a new password-reset drive (see `new_drive`; not committed)."""
    campaign = new_drive(**kwargs)
    session.add(campaign)
    session.flush()
    return campaign


def start_training(step: StepInstance, *, session: Session, now: datetime,
                   tz: str = DEFAULT_TIMEZONE) -> Campaign:
    """The training campaign of a wheel step instance (idempotent: returns the existing one)."""
    existing = session.exec(select(Campaign).where(Campaign.step_instance_id == step.id)).first()
    if existing:
        return existing
    if not (step.options or {}).get("course"):
        raise InputError(_("steg {step_key} ({step_year}): options.course (kursens xAPI-aktivitets-id) saknas i årshjulet", step_key=step.key, step_year=step.year))
    schedule: Schedule = training_schedule(step.opens, step.due, step.remind, step.escalate)
    # completions count from the day the step opens, however late this row is created
    opened = datetime.combine(step.opens, time(), ZoneInfo(tz))
    campaign = Campaign(
        kind=TRAINING, title_sv=step.title_sv, title_en=step.title_en, deadline=step.due,
        step_instance_id=step.id, started_at=aware_utc(min(opened, now)),
        options=dict(step.options),
        population={}, include_elected=bool(step.options.get("include_elected", False)),
        **schedule.__dict__)
    session.add(campaign)
    session.flush()
    return campaign


def open_training_steps(*, session: Session, today: date) -> list[StepInstance]:
    """Training step instances that have opened and have no campaign yet."""
    have = select(Campaign.step_instance_id).where(Campaign.step_instance_id.is_not(None))
    query = select(StepInstance).where(
        StepInstance.step_id == TRAINING_STEP, StepInstance.kind == "campaign",
        StepInstance.retired_at.is_(None), StepInstance.opens <= today,
        StepInstance.due >= today, StepInstance.id.not_in(have))
    return list(session.exec(query))


def active_campaigns(*, session: Session) -> list[Campaign]:
    """Campaigns not closed or cancelled, oldest first."""
    query = select(Campaign).where(Campaign.closed_at.is_(None),
                                   Campaign.cancelled_at.is_(None)).order_by(Campaign.id)
    return list(session.exec(query))


def get_campaign(campaign_id: int, *, session: Session) -> Campaign:
    campaign = session.get(Campaign, campaign_id)
    if campaign is None:
        raise NotFoundError(_("kampanj {campaign_id} finns inte (se `arshjul campaign status`)", campaign_id=campaign_id))
    return campaign


class Candidate(NamedTuple):
    """A person a campaign covers (a tuple: a region builds 50,000 of them a pass)."""

    id: str
    unit_id: str | None
    email: str
    external_id: str | None
    last_password_change: datetime | None


def population(campaign: Campaign, *, session: Session) -> dict[str, Candidate]:
    """Everyone the campaign covers now, by person id: enabled directory accounts, elected
    officials only if the campaign includes them, only its units if it names some."""
    query = select(Person.id, Person.unit_id, Person.email, Person.external_id,
                   Person.last_password_change).where(
        Person.external_id.is_not(None), Person.active, Person.account_enabled)
    if not campaign.include_elected:
        query = query.where(Person.elected.is_(False))
    units = (campaign.population or {}).get("units")
    if units:
        query = query.where(Person.unit_id.in_(units))
    return {r[0]: Candidate(r[0], r[1], r[2] or "", r[3], r[4])
            for r in session.execute(query)}


def reconcile_members(campaign: Campaign, people: dict[str, Candidate], *, session: Session,
                      now: datetime) -> Counter:
    """Add newcomers, mark leavers, follow unit moves; returns counts."""
    now, counts = aware_utc(now), Counter()
    existing = {m.person_id: m for m in session.execute(
        select(CampaignMember.id, CampaignMember.person_id, CampaignMember.unit_id,
               CampaignMember.left_at).where(CampaignMember.campaign_id == campaign.id))}
    new = [(campaign.id, p.id, p.unit_id, now) for pid, p in people.items()
           if pid not in existing]
    changes = []
    for pid, m in existing.items():
        person = people.get(pid)
        if person is None and m.left_at is None:
            changes.append({"id": m.id, "left_at": now})
        elif person is not None and (m.left_at is not None or m.unit_id != person.unit_id):
            changes.append({"id": m.id, "left_at": None, "unit_id": person.unit_id})
    joined = insert_ignore(session.connection(), CampaignMember.__table__,
                           ("campaign_id", "person_id", "unit_id", "joined_at"), new,
                           expect_new=True)  # only people not yet members
    _bulk_update(session, changes)
    counts.update(joined=joined, changed=len(changes))
    return counts


def _bulk_update(session: Session, rows: list[dict]) -> None:
    shapes: dict[tuple, list[dict]] = {}
    for row in rows:
        shapes.setdefault(tuple(sorted(row)), []).append(row)
    for shape in shapes.values():
        for start in range(0, len(shape), BATCH):
            session.execute(update(CampaignMember), shape[start:start + BATCH])


def open_members(campaign: Campaign, *, session: Session) -> list[tuple[int, str]]:
    """(member id, person id) of members still to do it."""
    query = select(CampaignMember.id, CampaignMember.person_id).where(
        CampaignMember.campaign_id == campaign.id, CampaignMember.done_at.is_(None),
        CampaignMember.left_at.is_(None))
    return [tuple(r) for r in session.execute(query)]


def mark_password_changes(campaign: Campaign, people: dict[str, Candidate], *,
                          session: Session) -> int:
    """Done = the directory's lastPasswordChangeDateTime is after the drive started."""
    started = campaign.started_at
    done = [{"id": mid, "done_at": people[pid].last_password_change}
            for mid, pid in open_members(campaign, session=session)
            if pid in people and people[pid].last_password_change
            and people[pid].last_password_change > started]
    _bulk_update(session, done)
    return len(done)


def mark_completions(campaign: Campaign, people: dict[str, Candidate],
                     completions: Iterable, *, session: Session, now: datetime) -> int:
    """Done = a `completed`/`passed` statement for the course, matched by e-mail or account."""
    by_key: dict[str, str] = {}
    for p in people.values():
        if p.email:
            by_key[p.email.casefold()] = p.id
        if p.external_id:
            by_key.setdefault(p.external_id.casefold(), p.id)
    when: dict[str, datetime] = {}
    for c in completions:
        pid = (by_key.get((c.email or "").casefold())
               or by_key.get((c.account_name or "").casefold()))
        if pid:
            at = aware_utc(c.at) or aware_utc(now)
            when[pid] = min(when.get(pid, at), at)
    done = [{"id": mid, "done_at": when[pid]}
            for mid, pid in open_members(campaign, session=session) if pid in when]
    _bulk_update(session, done)
    return len(done)
