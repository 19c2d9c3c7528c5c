"""Test data of the coordinator's web view: the portal's organisation plus two chefs and a step
that is late for both units, and helpers to sign in through the mailed link."""

from __future__ import annotations

import re
from datetime import date, timedelta

from models import db
from models.campaigns.tables import Campaign, CampaignMember
from models.cycle.responses import submit
from models.cycle.tables import Assignment, StepInstance
from models.incidents.register import NewIncident, register_incident
from models.org import Person, PersonRole
from tests.portal.portal_data import NOW, seed

#: person id → roles added to the portal's test organisation
CHEFS = {"eva-chef": ("chef", "socialforvaltningen"),
         "fia-chef": ("chef", "kommunledningskontoret")}
LATE_STEP = "kontinuitetsplanering-sen"


def seed_coordination() -> dict:
    """The portal's organisation, two chefs and a late step: unit id → its late assignment id,
    and "forms": the portal's form id → assignment id."""
    forms = seed()
    with db.session() as s:
        for pid, (role, scope) in CHEFS.items():
            name = " ".join(part.capitalize() for part in pid.split("-"))
            s.add(Person(id=pid, name=name, email=f"{pid}@example.se"))
            s.flush()
            s.add(PersonRole(person_id=pid, role=role, scope_id=scope))
        step = StepInstance(
            year=2027, step_id=LATE_STEP, key=LATE_STEP, title_sv="Kontinuitetsplan",
            title_en="Continuity plan", phase="utforma", kind="deadline", form="kvittens",
            audience_role="kontaktperson", audience_per="unit",
            opens=date(2027, 8, 1), due=date(2027, 9, 20),
        )
        s.add(step)
        s.flush()
        out = {}
        for unit in ("socialforvaltningen", "kommunledningskontoret"):
            a = Assignment(step_instance_id=step.id, scope_kind="unit", scope_id=unit)
            s.add(a)
            s.flush()
            out[unit] = a.id
        return {**out, "forms": forms}


def seed_answer(aid: int, text: str, who: str = "anna-berg", at=NOW) -> None:
    """Submit a version of a `kvittens` answer for the assignment `aid`."""
    with db.session() as s:
        values = {"genomfort": True, "datum": "2027-09-30", "kommentar": text}
        submit(s.get(Assignment, aid), "kvittens", values, who, session=s, now=at)


def seed_incident() -> int:
    """A personal-data breach of Socialförvaltningen known for 10 hours; its id."""
    with db.session() as s:
        return register_incident(NewIncident(
            category="personuppgiftsincident", unit_id="socialforvaltningen",
            aware_at=NOW - timedelta(hours=10), description="Fel mottagare",
            personal_data=True), now=NOW, session=s).id


def seed_campaign(deadline: date = date(2027, 9, 15)) -> int:
    """A training campaign of three employees of Socialförvaltningen, one done; its id."""
    with db.session() as s:
        c = Campaign(kind="training", title_sv="Utbildning 2027", title_en="Training 2027",
                     deadline=deadline, started_at=NOW - timedelta(days=30))
        s.add(c)
        s.flush()
        for i in range(3):
            pid = f"anstalld-{i}"
            s.add(Person(id=pid, name=f"Anställd {i}", email=f"{pid}@example.se", source="csv",
                         unit_id="socialforvaltningen"))
            s.flush()
            s.add(CampaignMember(campaign_id=c.id, person_id=pid, unit_id="socialforvaltningen",
                                 joined_at=NOW - timedelta(days=30),
                                 done_at=NOW if i == 0 else None))
        return c.id


def link_in(message) -> str:
    """The path of the sign-in link in a mailed message."""
    body = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"https?://[^/\s]+(/logga-in/[A-Za-z0-9_-]+)", body)[1]


def csrf_in(html: str) -> str:
    """The first CSRF value on a page."""
    return re.search(r'name="csrf" value="([0-9a-f]+)"', html)[1]


def ask(web, address: str, client=None):
    client = client or web
    form = client.get("/logga-in")
    return client.post("/logga-in", data={"email": address, "csrf": csrf_in(form.text)})


def sign_in(web, smtp_sink, address="dan-samordnare@example.se"):
    before = len(smtp_sink.messages)
    assert ask(web, address).status_code == 200
    assert len(smtp_sink.messages) == before + 1
    path = link_in(smtp_sink.messages[-1])
    confirm = web.get(path)
    assert confirm.status_code == 200
    return path, web.post(path, data={"csrf": csrf_in(confirm.text)})
