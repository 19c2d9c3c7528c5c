"""Time travel through a whole default year on SQLite: the exact messages per person, once each.

A tick runs every day at 08:00 and 14:00 local time (weekends and holidays included: nothing may
go out on them), the contacts answer some steps on time, some late and some never.

No reminder or escalation of the default wheel falls on a weekday midsummer or Christmas holiday
in 2027 (nor in any year 2026-2036 for midsummer), so the holidays are crossed by hand-overs: the
unit's contact changes on midsommarafton and its head on julafton. The new holder gets the latest
event of every open chain (catch-up) at the next send window, which the holiday pushes to the
following Monday.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

import pytest
from sqlmodel import select

from models import db
from models.business_days import is_business_day
from models.notify import ledger
from models.org import Person, PersonRole
from tests.engine_data import STHLM, local, seed, submit, tick

#: (local date, step key, scope) → submitted that day at 10:00 (after the morning tick)
ANSWERS = {
    date(2027, 1, 12): [("omvarldsanalys", "")],
    # the registers' reviews are answered the day they open: only their invitations go out
    date(2027, 1, 15): [("nis2-omfattning", "socialforvaltningen"), ("nis2-organisation", "")],
    date(2027, 2, 1): [("molntjanster", "socialforvaltningen")],
    date(2027, 9, 1): [("registerforteckning", "socialnamnden")],
    date(2027, 3, 2): [("infosakkollen", "")],
    date(2027, 4, 2): [("incidentstatistik-q1", "socialforvaltningen")],
    date(2027, 4, 20): [("kontinuitetsplanering", "socialforvaltningen")],
    date(2027, 6, 28): [("kontinuitetsovning", "socialforvaltningen")],
    date(2027, 7, 14): [("incidentstatistik-q2", "socialforvaltningen")],
    date(2027, 11, 5): [("riskanalys", "socialforvaltningen")],
    date(2027, 11, 26): [("uppfoljning-handlingsplan", "socialforvaltningen")],
    date(2027, 12, 14): [("handlingsplan", "")],  # the training is never confirmed
    date(2028, 1, 10): [("incidentstatistik-q4", "socialforvaltningen"),
                        ("namndbeslut-dataskydd", "socialnamnden")],
    date(2028, 1, 28): [("arsrapport", "")],
}

#: local date → (role, scope, old holder, new holder), handed over at 10:00
HANDOVERS = {
    date(2027, 6, 25): ("kontaktperson", "socialforvaltningen", "anna", "greta"),  # midsommarafton
    date(2027, 12, 24): ("chef", "socialforvaltningen", "bo", "britta"),  # julafton
}

INV, REM, ESC = "invitation", "reminder", "escalation"

EXPECTED = {
    # the unit's contact until midsommarafton
    "anna": [
        (date(2027, 1, 15), [(INV, "nis2-omfattning", "opens")]),
        (date(2027, 2, 1), [(INV, "kontinuitetsplanering", "opens"),
                            (INV, "molntjanster", "opens")]),
        (date(2027, 3, 1), [(INV, "informationsklassning", "opens")]),
        (date(2027, 4, 1), [(INV, "incidentstatistik-q1", "opens")]),
        (date(2027, 4, 16), [(REM, "kontinuitetsplanering", "-14")]),
        (date(2027, 5, 3), [(INV, "kontinuitetsovning", "opens")]),  # 1 May: Saturday, holiday
        (date(2027, 5, 17), [(REM, "informationsklassning", "-14")]),
        (date(2027, 5, 28), [(REM, "informationsklassning", "-3")]),
        (date(2027, 5, 31), [(REM, "informationsklassning", "+0")]),
        (date(2027, 6, 16), [(REM, "kontinuitetsovning", "-14")]),
    ],
    # the unit's contact from midsommarafton (Friday 25 Jun) on: her first digest waits for
    # Monday 28 Jun and holds the latest reminder of each open step (on the 25th it would have
    # been informationsklassning +0 and kontinuitetsovning -14; -3 is due 27 Jun, a Sunday)
    "greta": [
        (date(2027, 6, 28), [(REM, "informationsklassning", "+0"),
                             (REM, "kontinuitetsovning", "-3")]),
        (date(2027, 7, 1), [(INV, "incidentstatistik-q2", "opens")]),
        (date(2027, 7, 12), [(REM, "incidentstatistik-q2", "-3")]),
        (date(2027, 9, 1), [(INV, "riskanalys", "opens")]),
        (date(2027, 10, 1), [(INV, "incidentstatistik-q3", "opens")]),
        (date(2027, 10, 12), [(REM, "incidentstatistik-q3", "-3")]),
        (date(2027, 10, 15), [(REM, "incidentstatistik-q3", "+0")]),
        (date(2027, 11, 1), [(INV, "uppfoljning-handlingsplan", "opens"),
                             (REM, "riskanalys", "-14")]),
        (date(2027, 11, 23), [(REM, "uppfoljning-handlingsplan", "-7")]),
        (date(2028, 1, 3), [(INV, "incidentstatistik-q4", "opens")]),  # 1 Jan: nyårsdagen
    ],
    # the unit's head until julafton: escalations of the unit and of the board it serves, the
    # training
    "bo": [
        (date(2027, 6, 3), [(ESC, "informationsklassning", "after:3:chef")]),
        (date(2027, 9, 1), [(INV, "informationssakerhetsutbildning", "opens")]),
        (date(2027, 11, 15), [(REM, "informationssakerhetsutbildning", "-30")]),
        (date(2027, 12, 1), [(REM, "informationssakerhetsutbildning", "-14")]),
        (date(2027, 12, 3), [(ESC, "efterlevnadskontroll", "after:3:chef")]),
        (date(2027, 12, 13), [(REM, "informationssakerhetsutbildning", "-3")]),
        (date(2027, 12, 15), [(REM, "informationssakerhetsutbildning", "+0")]),
        (date(2027, 12, 20), [(ESC, "informationssakerhetsutbildning", "after:3:chef")]),
    ],
    # the unit's head from julafton (Friday 24 Dec) on: catch-up of the unconfirmed training
    # waits for Monday 27 Dec (25-26 Dec is a weekend)
    "britta": [
        (date(2027, 12, 27), [(ESC, "informationssakerhetsutbildning", "after:3:chef"),
                              (REM, "informationssakerhetsutbildning", "+0")]),
    ],
    # the board's data protection contact: never answers the compliance check
    "cecilia": [
        (date(2027, 9, 1), [(INV, "registerforteckning", "opens")]),
        (date(2027, 10, 1), [(INV, "efterlevnadskontroll", "opens")]),
        (date(2027, 11, 16), [(REM, "efterlevnadskontroll", "-14")]),
        (date(2027, 11, 29), [(REM, "efterlevnadskontroll", "-3")]),  # 27 Nov is a Saturday
        (date(2027, 11, 30), [(REM, "efterlevnadskontroll", "+0")]),
        (date(2028, 1, 10), [(INV, "namndbeslut-dataskydd", "opens")]),
    ],
}


def _sequences() -> dict[str, list]:
    with db.session() as s:
        from models.cycle.tables import StepInstance

        keys = {i.id: i.key for i in s.exec(select(StepInstance))}
        rows = s.exec(select(ledger.Notification).where(ledger.Notification.state == "sent")
                      .order_by(ledger.Notification.id)).all()
    by_digest: dict[tuple, list] = defaultdict(list)
    for row in rows:
        day = row.sent_at.astimezone(STHLM).date()
        by_digest[(row.recipient_id, day, row.digest_id)].append(
            (row.kind, keys.get(row.step_instance_id, row.subject), row.occasion))
    out: dict[str, list] = defaultdict(list)
    for (person, day, _), items in sorted(by_digest.items(), key=lambda kv: kv[0][:2]):
        out[person].append((day, sorted(items)))
    return out


def _hand_over(role: str, scope: str, old: str, new: str) -> None:
    """`new` takes over `role` in `scope` from `old` (what an org import does)."""
    with db.session() as s:
        s.add(Person(id=new, name=new.capitalize() + " Test", email=f"{new}@example.se"))
        held = s.exec(select(PersonRole).where(PersonRole.person_id == old,
                                               PersonRole.role == role,
                                               PersonRole.scope_id == scope)).one()
        s.delete(held)
        s.flush()
        s.add(PersonRole(person_id=new, role=role, scope_id=scope))


@pytest.mark.slow
def test_a_whole_year_of_messages_per_person(sqlite_store, isolated_home):
    seed(2027)
    day = date(2027, 1, 1)
    while day <= date(2028, 2, 20):
        tick(local(day.year, day.month, day.day, 8, 0))
        for key, scope in ANSWERS.get(day, []):
            submit(key, scope, local(day.year, day.month, day.day, 10, 0))
        if day in HANDOVERS:  # on an ordinary weekday the 14:00 tick would reach the new holder
            _hand_over(*HANDOVERS[day])
        tick(local(day.year, day.month, day.day, 14, 0))
        day += timedelta(days=1)
    got = _sequences()
    for person, expected in EXPECTED.items():
        assert got[person] == expected, person
    every_day = [d for seq in got.values() for d, _ in seq]
    assert all(is_business_day(d) for d in every_day)  # never on Christmas, midsummer, weekends
    for person, seq in got.items():  # one digest per person per tick (both ticks: per day)
        assert len({d for d, _ in seq}) == len(seq), person
    digests = sum(len(seq) for seq in got.values())
    outbox = list((isolated_home / "outbox").glob("*.eml"))
    with db.session() as s:
        states = {st for (_, st) in ledger.counts(session=s)}
        all_rows = s.exec(select(ledger.Notification)).all()
        sent_digests = len({r.digest_id for r in all_rows if r.digest_id})
    assert len(outbox) == sent_digests == digests
    assert states <= {"sent", "cancelled"}
