"""The store decides what is due exactly as the pure rules do (models/notify/due_sql.py against
models/notify/rules.py), on both stores: every audience and escalation case of the directory."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from models import db, roles
from models.cycle.tables import Assignment, StepInstance
from models.notify import ledger, rules
from models.notify.plan import clock_for, load_work, plan_due
from models.org import Person, PersonRole, Unit
from tests.engine_data import local, seed

#: Escalation rules that reach every branch of roles.escalation_target: a unit role, a board
#: role, an organisation role, a role nobody holds in scope, a role that is no role at all.
ESCALATE = [{"after": 1, "to": "chef"}, {"after": 2, "to": "dataskyddskontakt"},
            {"after": 3, "to": "dataskyddsombud"}, {"after": 4, "to": "kontaktperson"},
            {"after": 6, "to": "ingen-sadan-roll"}]


def _awkward_directory() -> None:
    """Unit channels, inactive holders and units, a unit without contacts, a board without its
    data protection contact, two roles on one person, no organisation-wide contact person."""
    with db.session() as s:
        s.add(Unit(id="kanalenheten", name="Kanalenheten", board_id="socialnamnden",
                   notify=["json://localhost/hook"]))
        s.add(Unit(id="vilande", name="Vilande", board_id="kommunstyrelsen", active=False,
                   notify=["json://localhost/hook"]))
        s.add(Unit(id="tomma", name="Tomma enheten", board_id="kommunstyrelsen"))
        s.add(Person(id="olle", name="Olle Slutat", email="olle@example.se", active=False))
        s.add(Person(id="petra", name="Petra Två", email="petra@example.se"))
        s.flush()
        s.add(PersonRole(person_id="olle", role="kontaktperson", scope_id="socialforvaltningen"))
        s.add(PersonRole(person_id="olle", role="chef", scope_id="kanalenheten"))
        s.add(PersonRole(person_id="petra", role="kontaktperson", scope_id="kanalenheten"))
        s.add(PersonRole(person_id="petra", role="chef", scope_id="kanalenheten"))
        s.add(PersonRole(person_id="petra", role="dataskyddsombud", scope_id=""))
        ivar = s.exec(select(PersonRole).where(PersonRole.person_id == "ivar")).one()
        s.delete(ivar)  # kommunstyrelsen has no data protection contact any more
    from models.cycle.planning import plan_cycle

    with db.session() as s:
        plan_cycle(2027, session=s)
        for step in s.exec(select(StepInstance)):
            step.escalate = ESCALATE
            s.add(step)


def _by_rules(now) -> set[tuple]:
    with db.session() as s:
        steps, assignments = load_work(now, session=s)
        directory = roles.load_directory(session=s)
        due = rules.due_items(steps, assignments, directory, now, clock_for(s))
    return {(d.kind, f"assignment:{d.assignment_id}", d.occasion, d.recipient_id) for d in due}


def _by_store(now) -> tuple[int, set[tuple]]:
    with db.session() as s:
        known, items = plan_due(now, session=s)
    return known, {(i.kind, i.subject, i.occasion, i.recipient_id) for i in items}


def test_the_store_decides_what_the_rules_decide(store):
    seed()
    _awkward_directory()
    day, seen, checked = local(2027, 1, 4, 9), set(), 0
    while day < local(2028, 1, 20, 9):
        due = _by_rules(day)
        known, new = _by_store(day)
        assert new == due - seen, day
        assert known == len(due & seen), day
        half = sorted(new)[::2]  # record half of it: the other half is still new next time
        with db.session() as s:
            step_of = dict(s.exec(select(Assignment.id, Assignment.step_instance_id)).all())
            ledger.enqueue([ledger.LedgerItem(
                *key, payload={}, assignment_id=int(key[1].split(":")[1]),
                step_instance_id=step_of[int(key[1].split(":")[1])]) for key in half],
                session=s, now=day)
        seen |= set(half)
        checked += len(due)
        day += timedelta(days=3)
    assert checked > 500
    kinds = {key[0] for key in seen}
    assert kinds == {"invitation", "reminder", "escalation"}
    recipients = {key[3] for key in seen}
    assert {"unit:kanalenheten", "petra", "david"} <= recipients
    assert not {"olle", "unit:vilande"} & recipients


def test_nothing_is_due_to_a_submitted_or_retired_assignment(store):
    seed()
    _awkward_directory()
    now = local(2027, 12, 1, 9)
    with db.session() as s:
        for a in s.exec(select(Assignment)):
            a.submitted_at = now
            s.add(a)
    assert _by_store(now) == (0, set())
