"""A region for the coordinator's overview page (bench/portal.py): 300 units, 5,000 people, a
year of twelve steps with their assignments, a ledger of what was sent, and a signed-in
coordinator's session cookie.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import insert, select

from models import db
from models.coordinator.signin import start_session
from models.cycle.tables import Assignment, StepInstance
from models.notify.ledger import Notification
from models.org import Board, Person, PersonRole, Unit
from models.roles import COORDINATOR

UNITS = 300
PEOPLE = 5000
BOARDS = 15
#: (step id, phase, per, opens, due): a default year, most steps per unit
STEPS = [
    ("omvarldsanalys", "identifiera", "organisation", date(2027, 1, 10), date(2027, 2, 28)),
    ("infosakkollen", "identifiera", "organisation", date(2027, 3, 1), date(2027, 3, 31)),
    ("kontinuitetsplanering", "utforma", "unit", date(2027, 2, 1), date(2027, 4, 30)),
    ("informationsklassning", "anvanda", "unit", date(2027, 3, 1), date(2027, 5, 31)),
    ("kontinuitetsovning", "anvanda", "unit", date(2027, 5, 1), date(2027, 6, 30)),
    ("incidentstatistik-q2", "folja-upp", "unit", date(2027, 7, 1), date(2027, 7, 15)),
    ("riskanalys-region", "identifiera", "unit", date(2027, 9, 1), date(2027, 9, 20)),
    ("incidentstatistik-q3", "folja-upp", "unit", date(2027, 10, 1), date(2027, 10, 15)),
    ("efterlevnadskontroll", "folja-upp", "board", date(2027, 10, 1), date(2027, 11, 30)),
    ("uppfoljning", "folja-upp", "unit", date(2027, 11, 1), date(2027, 11, 30)),
    ("handlingsplan", "utforma", "organisation", date(2027, 11, 15), date(2027, 12, 15)),
    ("arsrapport", "folja-upp", "organisation", date(2027, 12, 1), date(2028, 1, 31)),
]


def _organisation(s) -> None:
    # Core bulk inserts: one statement per table, not an ORM flush per row.
    s.execute(insert(Board), [{"id": f"rb{b}", "name": f"Nämnd {b}"} for b in range(BOARDS)])
    s.execute(insert(Unit), [{"id": f"ru{u}", "name": f"Förvaltning {u}", "kind": "forvaltning",
                              "board_id": f"rb{u % BOARDS}", "notify": [], "active": True}
                             for u in range(UNITS)])
    s.execute(insert(Person), [
        {"id": f"rp{p}", "name": f"Person {p}", "email": f"rp{p}@example.se", "notify": [],
         "active": True, "source": "org" if p < 2 * UNITS + 1 else "csv",
         "unit_id": f"ru{p % UNITS}", "elected": False, "account_enabled": True}
        for p in range(PEOPLE)])
    roles = [{"person_id": f"rp{u}", "role": "kontaktperson", "scope_id": f"ru{u}"}
             for u in range(UNITS)]
    roles += [{"person_id": f"rp{UNITS + u}", "role": "chef", "scope_id": f"ru{u}"}
              for u in range(UNITS)]
    roles.append({"person_id": f"rp{2 * UNITS}", "role": COORDINATOR, "scope_id": ""})
    s.execute(insert(PersonRole), roles)


def _year(s, now) -> None:
    rng = random.Random(7)
    for key, phase, per, opens, due in STEPS:
        step = StepInstance(year=2027, step_id=key, key=key, title_sv=key.capitalize(),
                            title_en=key, phase=phase, kind="questionnaire", form="kvittens",
                            audience_role="kontaktperson", audience_per=per, opens=opens, due=due)
        s.add(step)
        s.flush()
        scopes = {"unit": [f"ru{u}" for u in range(UNITS)],
                  "board": [f"rb{b}" for b in range(BOARDS)], "organisation": [""]}[per]
        done = {scope: due < now.date() and rng.random() < 0.8 for scope in scopes}
        s.execute(insert(Assignment), [
            {"step_instance_id": step.id, "scope_kind": per, "scope_id": scope,
             "submitted_at": now - timedelta(days=1) if done[scope] else None}
            for scope in scopes])
        ids = s.execute(select(Assignment.id, Assignment.scope_id).where(
            Assignment.step_instance_id == step.id)).all()
        sent = [_sent(step, aid, scope, "invitation", "open", now)
                for aid, scope in ids if opens <= now.date()]
        sent += [_sent(step, aid, scope, "escalation", "after:3:chef", now)
                 for aid, scope in ids if due < now.date() and not done[scope]]
        if sent:
            s.execute(insert(Notification), sent)


def _sent(step, assignment_id: int, scope: str, kind: str, occasion: str, now) -> dict:
    contact = int(scope[2:]) if scope.startswith("ru") else 0
    return {"kind": kind, "subject": f"assignment:{assignment_id}", "occasion": occasion,
            "recipient_id": f"rp{contact}", "step_instance_id": step.id,
            "assignment_id": assignment_id, "payload": {}, "state": "sent", "attempts": 0,
            "created_at": now, "sent_at": now}


def seed_region(url: str, now) -> str:
    """Write the region into the migrated store at `url`; the coordinator's session cookie."""
    with db.session(url) as s:
        _organisation(s)
        _year(s, now)
    with db.session(url) as s:
        return start_session(f"rp{2 * UNITS}", "link", None, session=s, now=now)
