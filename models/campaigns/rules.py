"""Pure rules of campaigns: their calendars, which occasion is due at `now`, who is in them.

No store, no clock: every function takes what it needs, so tests can walk through a drive
day by day.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from models.business_days import add_business_days, is_business_day, next_business_day
from models.i18n import _

#: Default business days after a drive's start before chefs get the first list of who is missing.
DRIVE_ESCALATE_AFTER = 2


@dataclass(frozen=True)
class Schedule:
    """ISO dates (organisation time) of a campaign's messages."""

    remind_on: list[str]
    report_on: list[str]
    escalate_on: list[str]


def training_schedule(opens: date, due: date, remind: Iterable[int],
                      escalate: Iterable[dict]) -> Schedule:
    """A training step's dates: reminders (and chef progress) at each `remind` offset from due
    (moved to business days, never before the step opens), chef lists of who is missing at
    each escalation rule to `chef` (business days after due)."""
    days = sorted({next_business_day(due + timedelta(days=o)) for o in remind
                   if due + timedelta(days=o) >= opens})
    remind_on = [d.isoformat() for d in days]
    escalate_on = sorted({add_business_days(due, int(r.get("after", 0))).isoformat()
                          for r in escalate if r.get("to") == "chef"})
    return Schedule(remind_on=remind_on, report_on=list(remind_on), escalate_on=escalate_on)


def drive_schedule(start: date, deadline: date,
                   escalate_after: int = DRIVE_ESCALATE_AFTER) -> Schedule:
    """A password drive's dates: a reminder every business day from the start to the deadline;
    chefs get who is missing `escalate_after` business days in, and on the deadline."""
    day, remind_on = next_business_day(start), []
    while day <= deadline:
        remind_on.append(day.isoformat())
        day = next_business_day(day + timedelta(days=1))
    first = add_business_days(start, escalate_after)
    escalate = sorted({d.isoformat() for d in (first, deadline) if d <= deadline})
    return Schedule(remind_on=remind_on, report_on=[], escalate_on=escalate)


def local_now(now: datetime, tz: str) -> datetime:
    """`now` in the organisation's timezone."""
    return now.astimezone(ZoneInfo(tz))


def due_occasion(dates: Iterable[str], now_local: datetime, send_hour: int) -> str | None:
    """The latest date of `dates` whose send time (send_hour local) has come, or None.

    Only the latest: after a stop over several dates one message goes out, not a pile.
    """
    today = now_local.date()
    past = [d for d in dates if date.fromisoformat(d) < today
            or (date.fromisoformat(d) == today and now_local.hour >= send_hour)]
    return max(past) if past else None


def deadline_passed(deadline: date, now_local: datetime) -> bool:
    """A campaign closes when its deadline day is over (local time)."""
    return now_local.date() > deadline


def parse_population(text: str, known_units: set[str]) -> dict:
    """`all` or `unit:ID,ID…` (as on the command line) → the stored population rule.

    Raises:
        ValueError: with a message naming the unknown unit or the bad form.
    """
    text = text.strip()
    if text == "all":
        return {}
    if not text.startswith("unit:"):
        raise ValueError(_("--population: '{text}' är varken 'all' eller 'unit:ID,…'", text=text))
    units = [u.strip() for u in text[5:].split(",") if u.strip()]
    unknown = [u for u in units if u not in known_units]
    if not units:
        raise ValueError(_("--population: ange minst en enhet (unit:ID,…)"))
    if unknown:
        names = ", ".join(f"'{u}'" for u in unknown)
        raise ValueError(
            _("--population: okänd enhet {names}", names=names) if len(unknown) == 1
            else _("--population: okända enheter {names}", names=names))
    return {"units": sorted(set(units))}


def percent(done: int, total: int) -> int:
    """Whole percent done (0 for an empty population)."""
    return round(100 * done / total) if total else 0


def is_send_day(now_local: datetime) -> bool:
    """Messages go out on business days only."""
    return is_business_day(now_local.date())
