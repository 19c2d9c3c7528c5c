"""A planned default year for the recipient tests, seen on 10 June 2027.

The engine's small organisation (tests.engine_data: anna contact and bo chef of
Socialförvaltningen, david coordinator, eva DPO, gustav contact of Kommunledningskontoret), three
employees from the directory, the year's training campaign started (one employee done) and a
password drive whose deadline (8 June) has passed. Informationsklassning (due 31 May, kvittens)
is late and still open; Infosäkkollen (due 31 March) is late and closed.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlmodel import select

from models import db, links, organisation
from models.campaigns import store as campaign_store
from models.campaigns.directory import DirectoryUser
from models.campaigns.directory_store import sync_people
from models.campaigns.tables import Campaign, CampaignMember
from models.cycle.tables import Assignment, StepInstance
from models.org import Person
from tests.engine_data import local, seed

SECRET = "recipients-test-secret-0123456789abcdef"
NOW = local(2027, 6, 10, 10, 0)
RESET_URL = "https://konto.example.se/byt-losenord"
EMPLOYEES = [DirectoryUser("e1", "Elin Anställd", "elin@example.se", "socialforvaltningen"),
             DirectoryUser("e2", "Erik Anställd", "erik@example.se", "socialforvaltningen"),
             DirectoryUser("e3", "Ebba Anställd", "ebba@example.se", "kommunledningskontoret")]


def seed_year() -> dict:
    """Seed the store; returns ids: assignments by step key and scope, campaigns, people."""
    seed(2027)
    with db.session() as s:
        org = organisation.row(session=s)
        org.department_map = {"socialforvaltningen": "socialforvaltningen",
                              "kommunledningskontoret": "kommunledningskontoret"}
        s.add(org)
        s.commit()
        sync_people([EMPLOYEES], source="csv", session=s, now=NOW)
        training = _training(s)
        drive = campaign_store.start_drive(session=s, now=NOW - timedelta(days=9),
                                           deadline=date(2027, 6, 8), start_day=date(2027, 6, 1),
                                           population={}, include_elected=False,
                                           force_change=False, options={"url": RESET_URL})
        _members(drive, s)
        s.commit()
        people = {p.email.split("@")[0]: p.id for p in s.exec(select(Person))}
        return {"training": training.id, "drive": drive.id, "people": people,
                "training_step": training.step_instance_id}


def _training(s) -> Campaign:
    step = s.exec(select(StepInstance).where(
        StepInstance.step_id == campaign_store.TRAINING_STEP)).one()
    campaign = campaign_store.start_training(step, session=s, now=NOW)
    _members(campaign, s)
    member = s.exec(select(CampaignMember).where(CampaignMember.campaign_id == campaign.id)
                    .order_by(CampaignMember.person_id)).first()  # e1, Elin: done
    member.done_at = NOW - timedelta(days=1)
    s.add(member)
    return campaign


def _members(campaign: Campaign, s) -> None:
    people = campaign_store.population(campaign, session=s)
    campaign_store.reconcile_members(campaign, people, session=s, now=NOW)
    s.flush()


def assignment_id(step_key: str, scope: str) -> int:
    with db.session() as s:
        step = s.exec(select(StepInstance).where(StepInstance.key == step_key)).one()
        return s.exec(select(Assignment.id).where(Assignment.step_instance_id == step.id,
                                                  Assignment.scope_id == scope)).one()


def path(kind: str, subject, person: str, days: int = 60) -> str:
    """The portal path of a link of `kind` for `person`, valid `days` from NOW."""
    token = links.make_subject_token(kind, str(subject), person, NOW + timedelta(days=days),
                                     secret=SECRET)
    return f"/{links.PATHS[kind]}/{token}"


def env(store_url: str, smtp_url: str) -> dict[str, str]:
    """The portal server's settings."""
    return {"ARSHJUL_DATABASE_URL": store_url, "ARSHJUL_SECRET_KEY": SECRET,
            "ARSHJUL_NOW": NOW.isoformat(), "ARSHJUL_SMTP_URL": smtp_url,
            "ARSHJUL_PORTAL_URL": "http://portal.example.se"}


def on(day: datetime) -> str:
    return day.strftime("%Y-%m-%d")
