"""Test data for the portal: an organisation, people with roles and planned steps with each form."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from models import db
from models.cycle.tables import Assignment, Cycle, StepInstance
from models.links import make_token
from models.org import Board, Organisation, Person, PersonRole, Unit

SECRET = "portal-test-secret-0123456789abcdef"
NOW = datetime(2027, 10, 1, 8, 0, tzinfo=UTC)
#: form id → (step id, audience role, per)
STEPS = {
    "riskanalys": ("riskanalys", "kontaktperson", "unit"),
    "kvittens": ("kontinuitetsplanering", "kontaktperson", "unit"),
    "dpo-efterlevnadskontroll": ("efterlevnadskontroll", "dataskyddskontakt", "board"),
    "incidentstatistik": ("incidentstatistik", "kontaktperson", "unit"),
    "infosakkollen": ("infosakkollen", "informationssakerhetssamordnare", "organisation"),
    "handlingsplan-status": ("handlingsplan-uppfoljning", "kontaktperson", "unit"),
}


def seed(language: str = "sv") -> dict[str, int]:
    """Write the test organisation and one assignment per default form (form → assignment id)."""
    with db.session() as s:
        s.add(Organisation(name="Provkommun", language=language))
        s.add(Board(id="socialnamnden", name="Socialnämnden"))
        s.add(Board(id="kommunstyrelsen", name="Kommunstyrelsen"))
        s.flush()
        s.add(Unit(id="socialforvaltningen", name="Socialförvaltningen", board_id="socialnamnden"))
        s.add(
            Unit(
                id="kommunledningskontoret",
                name="Kommunledningskontoret",
                board_id="kommunstyrelsen",
            )
        )
        people = {
            "anna-berg": [
                ("kontaktperson", "socialforvaltningen"),
                ("dataskyddskontakt", "socialnamnden"),
            ],
            "bo-ek": [("kontaktperson", "socialforvaltningen")],
            "cia-lund": [("kontaktperson", "kommunledningskontoret")],
            "dan-samordnare": [("informationssakerhetssamordnare", "")],
        }
        for pid, roles in people.items():
            name = " ".join(part.capitalize() for part in pid.split("-"))
            s.add(Person(id=pid, name=name, email=f"{pid}@example.se"))
            s.flush()
            for role, scope in roles:
                s.add(PersonRole(person_id=pid, role=role, scope_id=scope))
        s.add(Cycle(year=2027, wheel_file="wheel/default.yaml", planned_at=NOW))
        s.flush()
        return {form: _step(s, form, *spec) for form, spec in STEPS.items()}


def _step(s, form: str, step_id: str, role: str, per: str) -> int:
    step = StepInstance(
        year=2027,
        step_id=step_id,
        key=step_id,
        title_sv=f"Steg {step_id}",
        title_en=f"Step {step_id}",
        phase="folja-upp",
        kind="questionnaire",
        form=form,
        audience_role=role,
        audience_per=per,
        opens=date(2027, 9, 1),
        due=date(2027, 11, 15),
    )
    s.add(step)
    s.flush()
    scope = {"unit": "socialforvaltningen", "board": "socialnamnden", "organisation": ""}[per]
    assignment = Assignment(step_instance_id=step.id, scope_kind=per, scope_id=scope)
    s.add(assignment)
    s.flush()
    return assignment.id


def link(assignment_id: int, person: str = "anna-berg", days: int = 120) -> str:
    """The portal path of a signed link."""
    return "/a/" + make_token(person, assignment_id, NOW + timedelta(days=days), secret=SECRET)


def csrf_of(html: str) -> str:
    """The CSRF value of a rendered form page."""
    return re.search(r'name="csrf" value="([0-9a-f]+)"', html)[1]
