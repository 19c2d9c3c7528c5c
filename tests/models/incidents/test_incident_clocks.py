"""The legal clocks as pure rules: deadlines in absolute hours, alerts at any hour, DST safe."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from models.incidents import clocks as rules
from models.incidents.clocks import ClockView

STHLM = ZoneInfo("Europe/Stockholm")


def at(text: str) -> datetime:
    """Local Stockholm wall-clock text → UTC instant."""
    return datetime.fromisoformat(text).replace(tzinfo=STHLM).astimezone(UTC)


def views(aware: datetime, personal=True, nis2=True) -> list[ClockView]:
    return [ClockView(k, d) for k, d in rules.initial_deadlines(aware, personal, nis2).items()]


def watch(registered: datetime, clocks, until: datetime, step=timedelta(minutes=15)):
    """Run the rule as the 15-minute clock watch would; return {key: local time first sent}."""
    sent: dict[str, str] = {}
    moment = registered
    while moment <= until:
        for alert in rules.due_alerts(1, registered, clocks, moment):
            sent.setdefault(alert.key, rules.local(moment))
        moment += step
    return sent


def test_midsummer_friday_breach_is_alerted_on_absolute_hours_over_the_holiday():
    # Midsommarafton 2027 is Friday 25 June; the breach is known and registered at 16:00.
    aware = at("2027-06-25T16:00")
    sent = watch(aware, views(aware), aware + timedelta(days=4))
    assert sent == {
        "incident:1:all:registered": "2027-06-25 16:00 CEST",
        "incident:1:nis2-early-warning:before-4h": "2027-06-26 12:00 CEST",  # midsummer day
        "incident:1:nis2-early-warning:passed": "2027-06-26 16:00 CEST",
        "incident:1:gdpr:before-24h": "2027-06-27 16:00 CEST",  # a Sunday
        "incident:1:nis2-notification:before-24h": "2027-06-27 16:00 CEST",
        "incident:1:gdpr:before-4h": "2027-06-28 12:00 CEST",
        "incident:1:nis2-notification:before-4h": "2027-06-28 12:00 CEST",
        "incident:1:gdpr:passed": "2027-06-28 16:00 CEST",
        "incident:1:nis2-notification:passed": "2027-06-28 16:00 CEST",
    }


def test_final_report_one_month_alerts_fall_on_the_local_wall_clock():
    aware = at("2027-06-25T16:00")
    sent = watch(aware, views(aware, personal=False), aware + timedelta(days=31))
    assert sent["incident:1:nis2-final-report:before-24h"] == "2027-07-24 16:00 CEST"
    assert sent["incident:1:nis2-final-report:passed"] == "2027-07-25 16:00 CEST"
    assert not any(key.startswith("incident:1:gdpr") for key in sent)


def test_autumn_dst_change_keeps_72_absolute_hours_and_shows_local_time():
    # DST ends Sunday 31 October 2027 at 03:00 CEST → 02:00 CET: 72 h is 71 wall-clock hours.
    aware = at("2027-10-29T16:00")
    clocks = views(aware, nis2=False)
    assert rules.local(clocks[0].deadline) == "2027-11-01 15:00 CET"
    assert clocks[0].deadline - aware == timedelta(hours=72)
    sent = watch(aware, clocks, aware + timedelta(days=4))
    assert sent == {
        "incident:1:all:registered": "2027-10-29 16:00 CEST",
        "incident:1:gdpr:before-24h": "2027-10-31 15:00 CET",
        "incident:1:gdpr:before-4h": "2027-11-01 11:00 CET",
        "incident:1:gdpr:passed": "2027-11-01 15:00 CET",
    }


def test_spring_dst_change_moves_the_local_deadline_an_hour_later():
    aware = at("2027-03-26T16:00")  # DST starts Sunday 28 March 02:00 → 03:00
    (gdpr,) = views(aware, nis2=False)
    assert rules.local(gdpr.deadline) == "2027-03-29 17:00 CEST"
    sent = watch(aware, [gdpr], aware + timedelta(days=4))
    assert sent["incident:1:gdpr:before-24h"] == "2027-03-28 17:00 CEST"


def test_a_closed_clock_gets_no_more_alerts_while_the_others_go_on():
    aware = at("2027-06-25T16:00")
    clocks = [
        ClockView(c.kind, c.deadline, rules.REPORTED if c.kind == rules.GDPR else c.status)
        for c in views(aware)
    ]
    sent = watch(aware, clocks, aware + timedelta(days=4))
    assert not any(":gdpr:" in key for key in sent)
    assert "incident:1:nis2-notification:passed" in sent


def test_a_decision_not_to_report_stops_the_imy_clock():
    aware = at("2027-06-25T16:00")
    clocks = [ClockView(rules.GDPR, aware + timedelta(hours=72), rules.NOT_REPORTING)]
    sent = watch(aware, clocks, aware + timedelta(days=4))
    assert sent == {"incident:1:all:registered": "2027-06-25 16:00 CEST"}


def test_after_an_outage_only_the_latest_alert_of_each_clock_is_due():
    aware = at("2027-06-25T16:00")
    clocks = views(aware, nis2=False)
    due = rules.due_alerts(1, aware, clocks, at("2027-06-28T13:00"))
    assert [a.key for a in due] == ["incident:1:all:registered", "incident:1:gdpr:before-4h"]


def test_late_registration_covers_the_moments_before_it():
    aware = at("2027-06-25T16:00")
    registered = aware + timedelta(hours=30)  # early warning already late when registered
    sent = watch(registered, views(aware), registered + timedelta(hours=12))
    assert "incident:1:nis2-early-warning:passed" not in sent
    assert sent["incident:1:all:registered"] == "2027-06-26 22:00 CEST"


def test_next_wakeup_is_the_next_alert_moment_of_an_open_clock():
    aware = at("2027-06-25T16:00")
    clocks = views(aware)
    assert rules.local(rules.next_wakeup(aware, clocks, aware)) == "2027-06-26 12:00 CEST"
    after = at("2027-06-28T16:00")
    assert rules.local(rules.next_wakeup(aware, clocks, after)) == "2027-07-24 16:00 CEST"
    closed = [ClockView(c.kind, c.deadline, rules.REPORTED) for c in clocks]
    assert rules.next_wakeup(aware, closed, aware) is None


def test_one_month_is_the_same_local_time_next_month_clamped_to_its_last_day():
    assert rules.local(rules.add_month(at("2027-01-31T10:00"))) == "2027-02-28 10:00 CET"
    assert rules.local(rules.add_month(at("2028-01-31T10:00"))) == "2028-02-29 10:00 CET"
    assert rules.local(rules.add_month(at("2027-12-15T23:30"))) == "2028-01-15 23:30 CET"
    # across DST: same wall-clock time, so 743 or 745 absolute hours
    assert rules.local(rules.add_month(at("2027-10-15T09:00"))) == "2027-11-15 09:00 CET"
    # a wall time that does not exist next month (spring gap) moves forward by the gap
    assert rules.local(rules.add_month(at("2027-02-28T02:30"))) == "2027-03-28 03:30 CEST"
    # an ambiguous one (autumn) takes the first occurrence
    assert rules.local(rules.add_month(at("2026-09-25T02:30"))) == "2026-10-25 02:30 CEST"


def test_final_report_counts_from_the_submitted_notification():
    aware = at("2027-06-25T16:00")
    notified = at("2027-06-27T09:15")
    assert rules.local(rules.final_report_deadline(aware, notified)) == "2027-07-27 09:15 CEST"
    assert rules.local(rules.final_report_deadline(aware, None)) == "2027-07-25 16:00 CEST"


def test_alert_roles_follow_the_clock():
    aware = at("2027-06-25T16:00")
    clocks = views(aware)
    registered, *_ = rules.due_alerts(1, aware, clocks, aware)
    assert registered.roles(clocks) == (
        "dataskyddsombud",
        "it-sakerhetsansvarig",
        "informationssakerhetssamordnare",
    )
    gdpr_only = views(aware, nis2=False)
    assert registered.roles(gdpr_only) == ("dataskyddsombud",)


def test_remaining_time_text():
    now = at("2027-06-25T16:00")
    assert rules.remaining(now + timedelta(hours=50, minutes=5), now) == "om 2 d 2 h"
    assert rules.remaining(now - timedelta(minutes=30), now, "en") == "passed 30 min ago"
