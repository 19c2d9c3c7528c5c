"""models.roles.may_open, the one rule behind every portal page a message links to: pure, over
a directory of role holders."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from models import roles
from models.campaigns.progress import UnitProgress
from models.campaigns.step_state import complete

PEOPLE = [("anna", "kontaktperson", "soc"), ("bo", "chef", "soc"), ("cia", "kontaktperson", "klk"),
          ("hel", "chef", "klk"), ("cecilia", "dataskyddskontakt", "socialnamnden"),
          ("david", "informationssakerhetssamordnare", ""), ("eva", "dataskyddsombud", ""),
          ("frida", "it-sakerhetsansvarig", "")]


@pytest.fixture
def directory() -> roles.Directory:
    rows = [SimpleNamespace(person_id=p, role=r, scope_id=s) for p, r, s in PEOPLE]
    units = [SimpleNamespace(id="soc", board_id="socialnamnden", notify=[]),
             SimpleNamespace(id="klk", board_id="kommunstyrelsen", notify=[])]
    return roles.Directory.build(rows, {p for p, _, _ in PEOPLE}, units)


def work(scope_kind="unit", scope_id="soc", audience="kontaktperson", escalate=("chef",),
         answerable=True) -> roles.Work:
    return roles.Work(scope_kind, scope_id, audience, tuple(escalate), answerable)


@pytest.mark.parametrize(("person", "expected"), [
    ("anna", roles.ANSWER), ("bo", roles.OVERSEE), ("david", roles.OVERSEE),
    ("eva", roles.OVERSEE), ("cia", None), ("hel", None), ("frida", None), ("nobody", None),
])
def test_a_unit_assignment(directory, person, expected):
    assert roles.may_open(person, work(), directory) == expected


def test_a_board_assignment_is_overseen_by_the_chefs_of_the_units_serving_it(directory):
    board = work("board", "socialnamnden", "dataskyddskontakt", ("chef", "dataskyddsombud"))
    assert roles.may_open("cecilia", board, directory) == roles.ANSWER
    assert roles.may_open("bo", board, directory) == roles.OVERSEE
    assert roles.may_open("hel", board, directory) is None


def test_an_escalation_to_a_role_nobody_holds_reaches_the_coordinators(directory):
    org = work("organisation", "", "informationssakerhetssamordnare", ("it-sakerhetsansvarig",))
    assert roles.may_open("frida", org, directory) == roles.OVERSEE
    assert roles.may_open("david", org, directory) == roles.ANSWER


def test_a_training_step_opens_the_units_progress(directory):
    training = work(audience="chef", escalate=("chef",), answerable=False)
    assert roles.may_open("bo", training, directory) == roles.UNIT_PROGRESS
    assert roles.may_open("david", training, directory) == roles.UNIT_PROGRESS
    assert roles.may_open("anna", training, directory) is None


def test_campaign_links(directory):
    assert roles.may_open("x", roles.CampaignFacts(member=True), directory) == roles.OWN_PROGRESS
    assert roles.may_open("x", roles.CampaignFacts(member=False), directory) is None
    soc = roles.CampaignFacts(unit_id="soc")
    assert roles.may_open("bo", soc, directory) == roles.UNIT_PROGRESS
    assert roles.may_open("hel", soc, directory) is None
    assert roles.may_open("david", roles.CampaignFacts(unit_id="-"), directory) == \
        roles.UNIT_PROGRESS  # people of no unit: the coordinators are told
    assert roles.unit_chefs("soc", directory) == ["bo"]
    assert roles.unit_chefs(None, directory) == ["david"]


def test_the_escalation_recipients_of_the_engine_may_open_what_they_get(directory):
    """notify.rules sends to audience() and escalation_target(); may_open lets each one in."""
    w = work(escalate=("chef", "informationssakerhetssamordnare"))
    for person in roles.audience(w, w, directory):
        assert roles.may_open(person, w, directory) == roles.ANSWER
    for role in w.escalate_to:
        for person in roles.escalation_target(role, w, directory):
            assert roles.may_open(person, w, directory) == roles.OVERSEE


@pytest.mark.parametrize(("members", "done", "share", "has_members", "expected"), [
    (3, 3, 1.0, True, True), (3, 2, 1.0, True, False), (10, 9, 0.9, True, True),
    (10, 8, 0.9, True, False), (0, 0, 1.0, True, True), (0, 0, 1.0, False, False),
])
def test_a_units_completion_rule(members, done, share, has_members, expected):
    row = UnitProgress("soc", members, done) if members else None
    assert complete(row, share, has_members) is expected
