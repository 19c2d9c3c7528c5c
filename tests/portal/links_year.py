"""A whole default year on the example organisation, played through the engine's own functions,
with every message delivered to a real SMTP server on loopback and every link in it opened in
the portal.

The engine is driven directly (plan, then on every business day at 08:00: the campaign sync's
functions, then the tick's record and deliver), not through Prefect flow runs: the same code the
flows call, deterministic and fast enough to run on both stores. Training completions come from
a real LRS (Ralph) on loopback; a password drive runs in March. Some contacts answer their
kvittens in the portal, so receipts (delivered at once) carry links too.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlmodel import select

from cli.demo_contacts import sample_values
from models import db, links, organisation
from models.business_days import is_business_day
from models.campaigns import store as campaign_store
from models.campaigns.directory import DirectoryUser
from models.campaigns.directory_store import sync_people
from models.campaigns.tables import Campaign
from models.cycle.answers import raw_from_values
from models.cycle.forms import get_form
from models.cycle.planning import plan_cycle
from models.cycle.tables import Assignment, StepInstance
from models.org import Person, Unit
from models.org_import import import_org
from models.settings import get_settings
from tasks.campaign_tasks import (
    close_campaigns_now,
    record_campaign_messages_now,
    refresh_campaigns_now,
)
from tests.engine_data import STHLM, tick
from tests.models.report.report_year_data import EXAMPLE
from tests.smtp_sink import html_of, text_of

YEAR = 2027
PORTAL = "http://testserver"
COURSE = "https://lms.example.se/xapi/activities/informationssakerhet-grund"
RESET_URL = "https://konto.example.se/byt-losenord"
#: unit → (employees, of whom done in the LRS)
EMPLOYEES = {"socialforvaltningen": (3, 3), "kommunledningskontoret": (3, 1)}
_LINK = re.compile(re.escape(PORTAL) + r"/[a-z-]+/[A-Za-z0-9_.~-]+")
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def set_clock(monkeypatch, at: datetime) -> None:
    monkeypatch.setenv("ARSHJUL_NOW", at.isoformat())
    get_settings.cache_clear()


def at_local(day: date, hour: int = 8, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), STHLM)


def employees() -> list[DirectoryUser]:
    """The directory's employees of the units in EMPLOYEES (invented, at example.se)."""
    return [DirectoryUser(f"{unit}-{i}", f"Anställd {unit} {i}", f"{unit}.{i}@example.se", unit)
            for unit, (count, _) in EMPLOYEES.items() for i in range(count)]


def completions() -> list[dict]:
    """xAPI statements: the first `done` employees of each unit completed the course."""
    return [{"id": str(uuid.uuid4()), "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
             "actor": {"objectType": "Agent", "mbox": f"mailto:{unit}.{i}@example.se"},
             "object": {"objectType": "Activity", "id": COURSE},
             "timestamp": f"{YEAR}-10-0{1 + i}T10:00:00+00:00"}
            for unit, (_, done) in EMPLOYEES.items() for i in range(done)]


def seed() -> None:
    """The example organisation, its directory, the year planned, a password drive in March."""
    with db.session() as s:
        import_org(EXAMPLE, session=s)
        org = organisation.row(session=s)
        org.department_map = {u.id: u.id for u in s.exec(select(Unit))}
        s.add(org)
        s.commit()
        sync_people([employees()], source="csv", session=s, now=at_local(date(YEAR, 1, 1)))
        plan_cycle(YEAR, session=s)
        campaign_store.start_drive(session=s, now=at_local(date(YEAR, 3, 15), 9),
                                   deadline=date(YEAR, 3, 26), start_day=date(YEAR, 3, 15),
                                   population={}, include_elected=False, force_change=False,
                                   options={"url": RESET_URL})
        s.commit()


@dataclass
class Link:
    """One distinct link from the delivered mail."""

    url: str
    to: str
    sent: datetime
    claims: links.LinkClaims = None
    task: str = ""
    last_day: date | None = None


@dataclass
class Year:
    """What the played year leaves: the links with how each one opened."""

    links: dict[str, Link] = field(default_factory=dict)
    refusals: list[tuple[str, str, int]] = field(default_factory=list)
    opened: int = 0
    answered: int = 0
    seen: int = 0


def play(client, sink, monkeypatch) -> Year:
    """Every business day from the first of January to the end of the next January."""
    year = Year()
    seed()
    day = date(YEAR, 1, 1)
    while day <= date(YEAR + 1, 1, 31):
        if is_business_day(day):
            now = at_local(day)
            set_clock(monkeypatch, now)
            refresh_campaigns_now(now)
            record_campaign_messages_now(now)
            close_campaigns_now(now)
            tick(now)
            collect(year, sink, now, client, monkeypatch)
        day += timedelta(days=1)
    return year


def collect(year: Year, sink, now: datetime, client, monkeypatch) -> None:
    """Open every new link of the new messages at once; answer some kvittens forms."""
    while year.seen < len(sink.messages):
        message = sink.messages[year.seen]
        year.seen += 1
        for url in sorted(set(_LINK.findall(text_of(message) + html_of(message)))):
            if url not in year.links:
                year.links[url] = link = describe(Link(url, message["To"], now))
                check(year, client, link, "sent")
                if answers(link):
                    year.answered += submit(client, link, now)


def describe(link: Link) -> Link:
    """The link's claims, the title of its task and the last day it must work."""
    link.claims = links.read_expired(link.url.rsplit("/", 1)[1])
    with db.session() as s:
        if link.claims.kind == links.ASSIGNMENT:
            step = s.get(StepInstance, s.get(Assignment, int(link.claims.subject)).step_instance_id)
            link.task, due = step.title_sv, step.due
        else:
            campaign = s.get(Campaign, int(link.claims.subject.partition(":")[0]))
            link.task, due = campaign.title_sv, campaign.deadline
    link.last_day = links.last_answer_day(due)
    return link


def check(year: Year, client, link: Link, when: str) -> None:
    """GET the link: 200 with a page naming the task, else a refusal."""
    response = client.get(link.url)
    year.opened += 1
    if response.status_code != 200 or link.task not in response.text:
        year.refusals.append((when, link.url, response.status_code))


def answers(link: Link) -> bool:
    """Half of the contacts answer a kvittens at once (by assignment id)."""
    return link.claims.kind == links.ASSIGNMENT and int(link.claims.subject) % 2 == 0


def submit(client, link: Link, now: datetime) -> int:
    page = client.get(link.url)
    match = _CSRF.search(page.text)
    with db.session() as s:
        assignment = s.get(Assignment, int(link.claims.subject))
        step = s.get(StepInstance, assignment.step_instance_id)
    if not match or step.form != "kvittens" or assignment.submitted_at is not None:
        return 0
    form = get_form(step.form)
    fields = raw_from_values(form, sample_values(form, now.date()))
    fields |= {"csrf": match.group(1), "action": "submit"}
    response = client.post(link.url, data=fields, headers={"Origin": PORTAL})
    return int(response.status_code == 303)


def reopen_on_last_days(year: Year, client, monkeypatch) -> None:
    """Open every link again at noon of the last day its subject can be answered."""
    for link in sorted(year.links.values(), key=lambda item: item.last_day):
        set_clock(monkeypatch, at_local(link.last_day, 12))
        check(year, client, link, f"last day {link.last_day}")


def people_by_email() -> dict[str, str]:
    with db.session() as s:
        return {p.email: p.id for p in s.exec(select(Person))}


def facts_of(kind: str, subject: str, person_id: str):
    """The subject of a link as models.roles needs it, read straight from the store."""
    from models import roles
    from models.campaigns.tables import CampaignMember

    with db.session() as s:
        if kind == links.ASSIGNMENT:
            assignment = s.get(Assignment, int(subject))
            return roles.Work.of(s.get(StepInstance, assignment.step_instance_id), assignment)
        campaign_id, _, unit = subject.partition(":")
        member = s.exec(select(CampaignMember).where(
            CampaignMember.campaign_id == int(campaign_id),
            CampaignMember.person_id == person_id)).first()
        return roles.CampaignFacts(member=member is not None,
                                   unit_id=unit if kind == links.CAMPAIGN_UNIT else None)


def sent_links() -> list[tuple[str, str, dict]]:
    """(message kind, recipient, link) of every delivered ledger row that carries a link."""
    from models.notify import ledger

    with db.session() as s:
        rows = s.exec(select(ledger.Notification).where(ledger.Notification.state == "sent"))
        return [(r.kind, r.recipient_id, r.payload["link"]) for r in rows
                if r.payload.get("link")]
