"""Test data for campaign tests: an organisation with units, a department map and chefs."""

from __future__ import annotations

from models.org import Board, Organisation, Person, PersonRole, Unit

UNITS = {"socialforvaltningen": "Socialförvaltningen", "kulturforvaltningen": "Kulturförvaltningen",
         "kommunledningskontoret": "Kommunledningskontoret"}
DEPARTMENT_MAP = {
    "Socialförvaltningen": "socialforvaltningen",
    "Soc - Äldreomsorg": "socialforvaltningen",
    "Kultur- och fritid": "kulturforvaltningen",
    "Kommunledningskontoret": "kommunledningskontoret",
    "Förtroendevalda": {"unit": "kommunledningskontoret", "elected": True},
}


def seed_organisation(session) -> None:
    """Organisation, one board, three units, a chef per unit and an IT-säkerhetsansvarig."""
    session.add(Organisation(name="Testkommun", department_map=DEPARTMENT_MAP))
    session.add(Board(id="kommunstyrelsen", name="Kommunstyrelsen"))
    session.flush()
    for uid, name in UNITS.items():
        session.add(Unit(id=uid, name=name, board_id="kommunstyrelsen"))
    session.flush()
    for uid in UNITS:
        session.add(Person(id=f"chef-{uid}", name=f"Chef {uid}", email=f"chef.{uid}@example.se"))
    session.add(Person(id="it-ansvarig", name="IT Ansvarig", email="it@example.se"))
    session.flush()
    for uid in UNITS:
        session.add(PersonRole(person_id=f"chef-{uid}", role="chef", scope_id=uid))
    session.add(PersonRole(person_id="it-ansvarig", role="it-sakerhetsansvarig", scope_id=""))
    session.commit()
