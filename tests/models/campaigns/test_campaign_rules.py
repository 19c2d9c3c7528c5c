"""Pure campaign rules: calendars on business days, the due occasion, population options."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from models.campaigns.rules import (
    deadline_passed,
    drive_schedule,
    due_occasion,
    parse_population,
    percent,
    training_schedule,
)

TZ = ZoneInfo("Europe/Stockholm")


def test_drive_reminds_every_business_day_and_escalates_twice():
    # Thursday 2026-12-17 to Tuesday 2026-12-29: julafton–annandag and the weekend skipped
    s = drive_schedule(date(2026, 12, 17), date(2026, 12, 29))
    assert s.remind_on == ["2026-12-17", "2026-12-18", "2026-12-21", "2026-12-22", "2026-12-23",
                           "2026-12-28", "2026-12-29"]
    assert s.escalate_on == ["2026-12-21", "2026-12-29"] and s.report_on == []


def test_drive_started_on_a_saturday_starts_reminding_on_monday():
    s = drive_schedule(date(2026, 10, 10), date(2026, 10, 13))
    assert s.remind_on == ["2026-10-12", "2026-10-13"]
    assert s.escalate_on == ["2026-10-13"]  # the +2 business days fall after the deadline


def test_training_schedule_follows_the_step():
    s = training_schedule(date(2026, 9, 1), date(2026, 12, 15), [-120, -30, -14, -3, 0],
                          [{"after": 3, "to": "chef"}, {"after": 10, "to": "dataskyddsombud"}])
    # -120 is before the step opens; -30 is a Sunday → Monday
    assert s.remind_on == ["2026-11-16", "2026-12-01", "2026-12-14", "2026-12-15"]
    assert s.report_on == s.remind_on and s.escalate_on == ["2026-12-18"]


@pytest.mark.parametrize("now, expected", [
    (datetime(2026, 10, 5, 7, 59, tzinfo=TZ), None),
    (datetime(2026, 10, 5, 8, 0, tzinfo=TZ), "2026-10-05"),
    (datetime(2026, 10, 7, 6, 0, tzinfo=TZ), "2026-10-06"),   # before today's send hour
    (datetime(2026, 10, 9, 12, 0, tzinfo=TZ), "2026-10-07"),  # after a stop: the latest only
])
def test_due_occasion(now, expected):
    assert due_occasion(["2026-10-05", "2026-10-06", "2026-10-07"], now, 8) == expected


def test_deadline_is_over_at_midnight_local():
    assert not deadline_passed(date(2026, 10, 14), datetime(2026, 10, 14, 23, 59, tzinfo=TZ))
    assert deadline_passed(date(2026, 10, 14), datetime(2026, 10, 15, 0, 1, tzinfo=TZ))


def test_population_option():
    units = {"a", "b"}
    assert parse_population("all", units) == {}
    assert parse_population("unit:b,a,b", units) == {"units": ["a", "b"]}
    with pytest.raises(ValueError, match="^--population: okänd enhet 'x'$"):
        parse_population("unit:a,x", units)
    with pytest.raises(ValueError, match="^--population: okända enheter 'x', 'y'$"):
        parse_population("unit:x,a,y", units)
    with pytest.raises(ValueError, match="^--population: ange minst en enhet"):
        parse_population("unit:", units)
    with pytest.raises(ValueError, match="'socialforvaltningen' är varken 'all' eller"):
        parse_population("socialforvaltningen", units)
    assert percent(1, 3) == 33 and percent(0, 0) == 0
