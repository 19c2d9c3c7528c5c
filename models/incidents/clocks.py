"""Pure rules of the legal clocks of an incident: deadlines, which alerts are due, next wake-up.

Law (see docs/incidents.md):

* GDPR art. 33: notify IMY within 72 hours of becoming aware of a personal-data breach, unless the
  DPO records that it is unlikely to result in a risk (art. 33(5): the decision and its reason are
  kept).
* NIS2 art. 23 / cybersäkerhetslagen (2025:1506): early warning within 24 hours and incident
  notification within 72 hours of becoming aware of a significant incident; final report within one
  month after the incident notification was submitted.

Hours are absolute: 72 h is 72 × 3600 s on the UTC time line from the recorded time of awareness,
whatever the clocks on the wall do in between (a DST change makes the local deadline 71 or 73
wall-clock hours away). "One month" is calendar arithmetic in the organisation's timezone: the same
day of the next month at the same local wall-clock time; when that month is shorter, the last day of
that month (31 January → 28/29 February); a local time that does not exist (spring DST gap) moves
forward by the gap; an ambiguous one (autumn) takes the first occurrence (the earlier instant). It
runs from the submission of the incident notification when that is recorded, and from the time of
awareness until then, so the shown deadline is never later than the legal one.

Alerts go out at registration, 24 h and 4 h before each open deadline and when it passes, at any
hour of any day: a legal clock does not stop for midsummer. A clock closed (reported, or decided not
to report) gets no more alerts. After an outage only the latest due alert of each clock is sent.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from models import roles
from models.settings import DEFAULT_TIMEZONE

OPEN, REPORTED, NOT_REPORTING = "open", "reported", "not-reporting"
GDPR = "gdpr"
NIS2_EARLY = "nis2-early-warning"
NIS2_NOTIFICATION = "nis2-notification"
NIS2_FINAL = "nis2-final-report"
CLOCK_ORDER = (GDPR, NIS2_EARLY, NIS2_NOTIFICATION, NIS2_FINAL)
#: names accepted by `incident update --reported/--not-reporting`: a clock or a group of clocks.
CLOCK_GROUPS: dict[str, tuple[str, ...]] = {
    GDPR: (GDPR,),
    "nis2": (NIS2_EARLY, NIS2_NOTIFICATION, NIS2_FINAL),
    **{kind: (kind,) for kind in CLOCK_ORDER[1:]},
}
CLOCK_LABELS: dict[str, dict[str, str]] = {
    GDPR: {"sv": "Anmälan till IMY (GDPR art. 33)", "en": "Notification to IMY (GDPR art. 33)"},
    NIS2_EARLY: {"sv": "Tidig varning (NIS2)", "en": "Early warning (NIS2)"},
    NIS2_NOTIFICATION: {"sv": "Incidentanmälan (NIS2)", "en": "Incident notification (NIS2)"},
    NIS2_FINAL: {"sv": "Slutrapport (NIS2)", "en": "Final report (NIS2)"},
}
#: who is alerted about each clock: organisation-wide roles.
CLOCK_ROLES: dict[str, tuple[str, ...]] = {
    GDPR: (roles.DPO,),
    **{
        kind: (roles.IT_SECURITY, roles.COORDINATOR)
        for kind in CLOCK_ORDER[1:]
    },
}
HOURS = {GDPR: 72, NIS2_EARLY: 24, NIS2_NOTIFICATION: 72}
REGISTERED = "registered"
#: alert moments relative to a deadline, earliest first.
MILESTONES: tuple[tuple[str, timedelta], ...] = (
    ("before-24h", timedelta(hours=24)),
    ("before-4h", timedelta(hours=4)),
    ("passed", timedelta(0)),
)


def add_month(start: datetime, tz: str = DEFAULT_TIMEZONE) -> datetime:
    """One calendar month after `start`, same local wall-clock time, as UTC (see module doc)."""
    local = start.astimezone(ZoneInfo(tz))
    year, month = (local.year + 1, 1) if local.month == 12 else (local.year, local.month + 1)
    day = min(local.day, calendar.monthrange(year, month)[1])
    wall = local.replace(tzinfo=None, year=year, month=month, day=day)
    candidate = wall.replace(tzinfo=ZoneInfo(tz), fold=0)
    # zoneinfo reads a wall time in the spring gap with the offset before the gap (so it lands
    # forward by the gap) and an ambiguous autumn one, with fold=0, as its first occurrence.
    return candidate.astimezone(UTC)


def final_report_deadline(
    aware_at: datetime, notification_at: datetime | None, tz: str = DEFAULT_TIMEZONE
) -> datetime:
    """NIS2 final report: one month after the notification was submitted, or after awareness."""
    return add_month(notification_at or aware_at, tz)


def initial_deadlines(
    aware_at: datetime, personal_data: bool, nis2_significant: bool, tz: str = DEFAULT_TIMEZONE
) -> dict[str, datetime]:
    """The clocks an incident opens, kind → deadline (UTC), in legal order."""
    aware = aware_at.astimezone(UTC)
    kinds = ((GDPR,) if personal_data else ()) + (CLOCK_ORDER[1:] if nis2_significant else ())
    deadlines = {k: aware + timedelta(hours=HOURS[k]) for k in kinds if k in HOURS}
    if nis2_significant:
        deadlines[NIS2_FINAL] = final_report_deadline(aware, None, tz)
    return deadlines


@dataclass(frozen=True)
class ClockView:
    """What the rules need of a clock row."""

    kind: str
    deadline: datetime
    status: str = OPEN


@dataclass(frozen=True)
class Alert:
    """One alert about one incident: at registration, or a milestone of one clock."""

    incident_id: int
    moment: str  # registered | before-24h | before-4h | passed
    clock: str  # clock kind, "" for the registration alert
    due_at: datetime
    deadline: datetime | None = None

    @property
    def key(self) -> str:
        """Ledger key without the recipient: what and which offset."""
        return f"incident:{self.incident_id}:{self.clock or 'all'}:{self.moment}"

    def roles(self, clocks: Iterable[ClockView]) -> tuple[str, ...]:
        """Roles to alert: those of this clock, or of every clock for the registration alert."""
        kinds = [self.clock] if self.clock else [c.kind for c in clocks]
        return tuple(dict.fromkeys(role for k in kinds for role in CLOCK_ROLES[k]))


def milestone_times(clock: ClockView) -> list[tuple[str, datetime]]:
    """(moment, time) of a clock's alerts, earliest first."""
    return [(name, clock.deadline - offset) for name, offset in MILESTONES]


def due_alerts(
    incident_id: int, registered_at: datetime, clocks: Iterable[ClockView], now: datetime
) -> list[Alert]:
    """The alerts of one incident that are due at `now` (the ledger drops those already sent).

    The registration alert is due from registration if the incident has any clock. Each open clock
    then has its latest milestone that fell after registration and not after `now` (moments at or
    before registration are covered by the registration alert; older ones after an outage are
    skipped rather than sent as a pile).
    """
    clocks = list(clocks)
    alerts: list[Alert] = []
    if clocks and registered_at <= now:
        alerts.append(Alert(incident_id, REGISTERED, "", registered_at))
    for clock in clocks:
        if clock.status != OPEN:
            continue
        passed = [(m, t) for m, t in milestone_times(clock) if registered_at < t <= now]
        if passed:
            moment, at = passed[-1]
            alerts.append(Alert(incident_id, moment, clock.kind, at, clock.deadline))
    return alerts


def next_wakeup(
    registered_at: datetime, clocks: Iterable[ClockView], now: datetime
) -> datetime | None:
    """The next moment after `now` at which an alert of these clocks falls due (None if none)."""
    upcoming = [
        t
        for clock in clocks
        if clock.status == OPEN
        for _, t in milestone_times(clock)
        if t > now and t > registered_at
    ]
    return min(upcoming, default=None)


def local(moment: datetime, tz: str = DEFAULT_TIMEZONE) -> str:
    """A UTC instant as local wall-clock text with its zone: '2027-06-28 16:00 CEST'."""
    return moment.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M %Z")


def remaining(deadline: datetime, now: datetime, lang: str = "sv") -> str:
    """Time left until `deadline` ('2 d 3 h', '45 min'), or how long ago it passed."""
    delta = deadline - now
    minutes = int(abs(delta).total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = ([f"{days} d"] if days else []) + ([f"{hours} h"] if hours else [])
    text = " ".join(parts) if parts else f"{mins} min"
    if delta.total_seconds() >= 0:
        return f"{'om' if lang == 'sv' else 'in'} {text}"
    return f"{'passerad för' if lang == 'sv' else 'passed'} {text}{'' if lang == 'sv' else ' ago'}"
