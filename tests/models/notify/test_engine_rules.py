"""What is due when: the pure rules of invitations, reminders and escalations."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace as NS
from zoneinfo import ZoneInfo

import pytest

from models.notify import rules as r

STHLM = ZoneInfo("Europe/Stockholm")
CLOCK = r.Clock()


def at(*args) -> datetime:
    return datetime(*args, tzinfo=STHLM).astimezone(UTC)


def step(**kw):
    base = dict(id=1, opens=date(2027, 9, 1), due=date(2027, 11, 15), remind=[-14, -3, 0],
                escalate=[{"after": 3, "to": "chef"}, {"after": 10, "to": "dataskyddsombud"}],
                audience_role="kontaktperson", retired_at=None)
    return NS(**{**base, **kw})


def assignment(**kw):
    base = dict(id=10, step_instance_id=1, scope_kind="unit", scope_id="soc",
                submitted_at=None, retired_at=None)
    return NS(**{**base, **kw})


def directory(roles=None, inactive=(), notify_units=()):
    roles = roles if roles is not None else [
        ("anna", "kontaktperson", "soc"), ("bo", "chef", "soc"), ("eva", "dataskyddsombud", ""),
        ("david", "informationssakerhetssamordnare", ""), ("cilla", "dataskyddskontakt", "sn"),
        ("gun", "chef", "klk"), ("kim", "chef", "soc2"),
    ]
    rows = [NS(person_id=p, role=ro, scope_id=sc) for p, ro, sc in roles]
    people = {p for p, _, _ in roles} - set(inactive)
    units = [NS(id="soc", board_id="sn", notify=["json://x"] if "soc" in notify_units else []),
             NS(id="soc2", board_id="sn", notify=[]), NS(id="klk", board_id="ks", notify=[])]
    return r.Directory.build(rows, people, units)


def due(now, s=None, a=None, d=None):
    items = r.due_items([s or step()], [a or assignment()], d or directory(), now, CLOCK)
    return sorted((i.kind, i.occasion, i.recipient_id) for i in items)


# --- the clock ---------------------------------------------------------------------------------

def test_send_hour_is_local_across_dst():
    assert CLOCK.send_at(date(2027, 1, 11)).astimezone(UTC).hour == 7
    assert CLOCK.send_at(date(2027, 6, 14)).astimezone(UTC).hour == 6


@pytest.mark.parametrize("now,expected", [
    (at(2027, 10, 4, 8, 0), True),       # Monday at the send hour
    (at(2027, 10, 4, 7, 59), False),     # before the send hour
    (at(2027, 10, 2, 12, 0), False),     # Saturday
    (at(2027, 12, 24, 9, 0), False),     # julafton (de facto holiday)
    (at(2027, 6, 25, 9, 0), False),      # midsommarafton
    (at(2027, 6, 24, 9, 0), True),       # the Thursday before is an ordinary day
])
def test_send_window(now, expected):
    assert CLOCK.in_send_window(now) is expected


def test_other_send_hour():
    clock = r.Clock(send_hour=10)
    assert not clock.in_send_window(at(2027, 10, 4, 9, 59))
    assert clock.send_at(date(2027, 10, 4)) == datetime(2027, 10, 4, 10, tzinfo=STHLM)


# --- chains ------------------------------------------------------------------------------------

def test_audience_chain_dates_move_to_business_days():
    events = r.audience_chain(step(), CLOCK)
    days = [(e.kind, e.occasion, e.at.date()) for e in events]
    assert days == [
        ("invitation", "opens", date(2027, 9, 1)),
        ("reminder", "-14", date(2027, 11, 1)),
        ("reminder", "-3", date(2027, 11, 12)),
        ("reminder", "+0", date(2027, 11, 15)),
    ]


def test_reminder_on_a_weekend_moves_forward_and_collapses_into_the_due_day():
    # due Monday 2027-11-15; -1 is Sunday → Monday, the same moment as +0
    events = r.audience_chain(step(remind=[-1, 0]), CLOCK)
    assert [e.at for e in events[1:]] == [CLOCK.send_at(date(2027, 11, 15))] * 2
    assert r.latest(events, at(2027, 11, 15, 9)).occasion == "+0"


def test_reminders_before_opening_are_dropped():
    events = r.audience_chain(step(opens=date(2027, 11, 10), remind=[-14, -3]), CLOCK)
    assert [e.occasion for e in events] == ["opens", "-3"]


def test_invitation_wins_a_tie_with_a_reminder():
    s = step(opens=date(2027, 11, 12), remind=[-3, 0])
    events = r.audience_chain(s, CLOCK)
    assert r.latest(events, at(2027, 11, 12, 8)).kind == "invitation"


def test_escalation_counts_business_days_over_christmas():
    s = step(due=date(2027, 12, 22), escalate=[{"after": 3, "to": "chef"}])
    (event,) = r.escalation_chain(s, CLOCK)
    # 23 Dec, (24 julafton, weekend), 27 Dec, 28 Dec
    assert event.at.date() == date(2027, 12, 28)
    assert event.occasion == "after:3:chef"


def test_escalation_over_midsummer():
    s = step(due=date(2027, 6, 23), escalate=[{"after": 2, "to": "chef"}])
    (event,) = r.escalation_chain(s, CLOCK)
    assert event.at.date() == date(2027, 6, 28)  # 24 Jun, (25 midsommarafton, weekend), 28 Jun


# --- what is due -------------------------------------------------------------------------------

def test_nothing_before_opening():
    assert due(at(2027, 8, 31, 12)) == []


def test_invitation_to_the_audience_in_scope_only():
    assert due(at(2027, 9, 1, 8)) == [("invitation", "opens", "anna")]


def test_invitation_stays_the_latest_until_the_first_reminder():
    assert due(at(2027, 10, 29, 15)) == [("invitation", "opens", "anna")]
    assert due(at(2027, 11, 1, 8)) == [("reminder", "-14", "anna")]


def test_submitted_gets_nothing():
    a = assignment(submitted_at=at(2027, 11, 2, 10))
    assert due(at(2027, 11, 15, 8), a=a) == []
    assert due(at(2027, 12, 1, 8), a=a) == []


def test_retired_assignment_or_step_gets_nothing():
    assert due(at(2027, 11, 15, 8), a=assignment(retired_at=at(2027, 10, 1))) == []
    assert due(at(2027, 11, 15, 8), s=step(retired_at=at(2027, 10, 1))) == []


def test_catch_up_sends_only_the_latest_of_each_chain():
    # down from before opening until after the first escalation
    assert due(at(2027, 11, 22, 8)) == [("escalation", "after:3:chef", "bo"),
                                        ("reminder", "+0", "anna")]


def test_second_escalation_goes_to_the_organisation_wide_role():
    assert due(at(2027, 11, 29, 8)) == [("escalation", "after:10:dataskyddsombud", "eva"),
                                        ("reminder", "+0", "anna")]


def test_no_new_items_outside_the_send_window():
    assert due(at(2027, 11, 13, 10)) == []  # Saturday after the -3 reminder
    assert due(at(2027, 11, 15, 7, 59)) == []  # Monday before the send hour
    assert due(at(2027, 11, 15, 8)) == [("reminder", "+0", "anna")]


def test_several_audience_roles_and_organisation_scope():
    s = step(audience_role="informationssakerhetssamordnare,dataskyddsombud")
    a = assignment(scope_kind="organisation", scope_id="")
    assert due(at(2027, 9, 1, 8), s=s, a=a) == [("invitation", "opens", "david"),
                                              ("invitation", "opens", "eva")]


def test_inactive_people_get_nothing():
    assert due(at(2027, 9, 1, 8), d=directory(inactive={"anna"})) == []


def test_unit_with_channels_is_a_recipient_of_its_own():
    got = due(at(2027, 9, 1, 8), d=directory(notify_units={"soc"}))
    assert got == [("invitation", "opens", "anna"), ("invitation", "opens", "unit:soc")]


# --- escalation targets -------------------------------------------------------------------------

def test_escalation_target_unit_chef():
    assert r.escalation_target("chef", assignment(), directory()) == ["bo"]


def test_escalation_target_board_scope_reaches_chefs_of_units_serving_the_board():
    a = assignment(scope_kind="board", scope_id="sn")
    assert r.escalation_target("chef", a, directory()) == ["bo", "kim"]


def test_escalation_target_board_role_from_a_unit():
    assert r.escalation_target("dataskyddskontakt", assignment(), directory()) == ["cilla"]


def test_escalation_target_falls_back_to_organisation_wide_holders_then_coordinator():
    without_chef = directory(roles=[("anna", "kontaktperson", "soc"),
                                    ("x", "chef", ""),
                                    ("david", "informationssakerhetssamordnare", "")])
    assert r.escalation_target("chef", assignment(), without_chef) == ["x"]
    nobody = directory(roles=[("david", "informationssakerhetssamordnare", "")])
    assert r.escalation_target("chef", assignment(), nobody) == ["david"]


def test_inactive_chef_is_skipped():
    d = directory(inactive={"bo"})
    assert r.escalation_target("chef", assignment(), d) == ["david"]


# --- next wakeup --------------------------------------------------------------------------------

def test_next_wakeup_is_the_next_event():
    assert r.next_wakeup([step()], [assignment()], at(2027, 9, 1, 8), CLOCK) == \
        CLOCK.send_at(date(2027, 11, 1))
    assert r.next_wakeup([step()], [assignment()], at(2027, 8, 1), CLOCK) == \
        CLOCK.send_at(date(2027, 9, 1))


def test_next_wakeup_after_the_last_escalation_or_when_submitted_is_none():
    assert r.next_wakeup([step()], [assignment()], at(2027, 12, 31), CLOCK) is None
    done = assignment(submitted_at=at(2027, 9, 2))
    assert r.next_wakeup([step()], [done], at(2027, 9, 1, 9), CLOCK) is None


def test_next_wakeup_skips_weekends_and_holidays():
    s = step(opens=date(2027, 12, 24), due=date(2027, 12, 31), remind=[], escalate=[])
    assert r.next_wakeup([s], [assignment()], at(2027, 12, 20), CLOCK) == \
        CLOCK.send_at(date(2027, 12, 27))


def test_every_event_is_on_a_business_day_at_the_send_hour():
    from models.business_days import is_business_day

    for day in range(0, 365, 7):
        opens = date(2027, 1, 1) + timedelta(days=day)
        s = step(opens=opens, due=opens + timedelta(days=20), remind=[-7, -1, 0, 2])
        for e in r.audience_chain(s, CLOCK) + r.escalation_chain(s, CLOCK):
            local = e.at.astimezone(STHLM)
            assert is_business_day(local.date()) and local.hour == 8
