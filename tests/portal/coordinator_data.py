"""Test data of the coordinator's web view: the portal's organisation plus two chefs and a step
that is late for both units, and helpers to sign in through the mailed link."""

from __future__ import annotations

import re
from datetime import date

from models import db
from models.cycle.tables import Assignment, StepInstance
from models.org import Person, PersonRole
from tests.portal.portal_data import seed

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


def link_in(message) -> str:
    """The path of the sign-in link in a mailed message."""
    body = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"https?://[^/\s]+(/logga-in/[A-Za-z0-9_-]+)", body)[1]


def csrf_in(html: str) -> str:
    """The first CSRF value on a page."""
    return re.search(r'name="csrf" value="([0-9a-f]+)"', html)[1]
