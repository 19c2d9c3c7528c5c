"""What is due at `now`: invitations, reminders and escalations per assignment. Pure functions.

Every assignment that is neither submitted nor retired has two chains of events, each event a
business day at the send hour (local time):

* the audience chain: the invitation on the opening day, then one reminder per `remind` offset
  (calendar days relative to due, moved to the next business day; offsets before opening are
  dropped). Recipients: the active holders of the step's audience role(s) in the assignment's scope,
  plus the unit itself when it has `notify:` channels.
* the escalation chain: one event per `escalate` rule, `after` business days past due. Recipients:
  the rule's role resolved in the assignment's scope (unit: the unit; board: the board, then the
  units serving it), then organisation-wide, then the coordinators (an escalation never vanishes).

Catch-up without spam: of each chain only the latest event at or before `now` is due; the ledger
makes it exactly once. On a tie the invitation wins (first contact), then the larger offset.
Nothing new is due outside the send window (a business day, from the send hour).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from models.business_days import add_business_days, is_business_day, next_business_day
from models.notify import kinds
from models.roles import Directory, audience, escalation_target
from models.settings import DEFAULT_TIMEZONE

INVITATION, REMINDER, ESCALATION = kinds.INVITATION, kinds.REMINDER, kinds.ESCALATION


@dataclass(frozen=True)
class Clock:
    """Where and when messages go out: the organisation's timezone and the send hour."""

    timezone: str = DEFAULT_TIMEZONE
    send_hour: int = 8

    def send_at(self, day: date) -> datetime:
        """The instant messages of `day` go out (aware, in the organisation's timezone)."""
        return datetime.combine(day, time(self.send_hour), ZoneInfo(self.timezone))

    def in_send_window(self, now: datetime) -> bool:
        """True on a local business day from the send hour on."""
        local = now.astimezone(ZoneInfo(self.timezone))
        return is_business_day(local.date()) and local.hour >= self.send_hour


@dataclass(frozen=True)
class Event:
    """One point of a chain: a kind, its occasion label and the instant it becomes due."""

    kind: str
    occasion: str
    at: datetime
    rank: tuple
    role: str = ""


@dataclass(frozen=True)
class Due:
    """One message item that is due: what, about which assignment, for whom."""

    kind: str
    step_instance_id: int
    assignment_id: int
    occasion: str
    recipient_id: str
    at: datetime


def audience_chain(step, clock: Clock) -> list[Event]:
    """The invitation and reminder events of a step instance, in time order."""
    opens = next_business_day(step.opens)
    events = [Event(INVITATION, "opens", clock.send_at(opens), (clock.send_at(opens), 1, 0))]
    for offset in step.remind:
        day = next_business_day(step.due + timedelta(days=int(offset)))
        if day >= opens:
            at = clock.send_at(day)
            events.append(Event(REMINDER, f"{int(offset):+d}", at, (at, 0, int(offset))))
    return sorted(events, key=lambda e: e.rank)


def escalation_chain(step, clock: Clock) -> list[Event]:
    """The escalation events of a step instance, in time order."""
    events = []
    for rule in step.escalate:
        after, role = int(rule["after"]), rule["to"]
        at = clock.send_at(add_business_days(step.due, after))
        events.append(Event(ESCALATION, f"after:{after}:{role}", at, (at, 0, after), role))
    return sorted(events, key=lambda e: e.rank)


def latest(events: list[Event], now: datetime) -> Event | None:
    """The latest event at or before `now` (catch-up sends only that one)."""
    passed = [e for e in events if e.at <= now]
    return max(passed, key=lambda e: e.rank) if passed else None


def is_open_work(step, assignment) -> bool:
    """An assignment that still owes something: live step, live assignment, not submitted."""
    return (
        step.retired_at is None
        and assignment.retired_at is None
        and assignment.submitted_at is None
    )


def due_items(steps, assignments, directory: Directory, now: datetime, clock: Clock) -> list[Due]:
    """Every message item due at `now` (the ledger drops those already recorded).

    Args:
        steps: StepInstance rows (or anything with the same attributes), by id or as a list.
        assignments: Assignment rows of those steps.
        directory: role holders and the unit/board map.
        now: aware instant of the tick.
        clock: timezone and send hour.
    """
    if not clock.in_send_window(now):
        return []
    by_id = steps if isinstance(steps, dict) else {s.id: s for s in steps}
    latest_events: dict[int, tuple[Event | None, Event | None]] = {}
    out: list[Due] = []
    for assignment in assignments:
        step = by_id.get(assignment.step_instance_id)
        if step is None or not is_open_work(step, assignment):
            continue
        if step.id not in latest_events:
            latest_events[step.id] = (
                latest(audience_chain(step, clock), now),
                latest(escalation_chain(step, clock), now),
            )
        out.extend(_due_for(step, assignment, directory, latest_events[step.id]))
    return out


def _due_for(step, assignment, directory, events) -> list[Due]:
    out = []
    event, escalation = events
    if event is not None:
        for recipient in audience(step, assignment, directory):
            out.append(_due(event, step, assignment, recipient))
    event = escalation
    if event is not None:
        for recipient in escalation_target(event.role, assignment, directory):
            out.append(_due(event, step, assignment, recipient))
    return out


def _due(event: Event, step, assignment, recipient: str) -> Due:
    return Due(event.kind, step.id, assignment.id, event.occasion, recipient, event.at)


def next_wakeup(steps, assignments, now: datetime, clock: Clock) -> datetime | None:
    """When the next event of any open assignment becomes due (None when nothing is left)."""
    by_id = steps if isinstance(steps, dict) else {s.id: s for s in steps}
    chains: dict[int, list[Event]] = {}
    best: datetime | None = None
    for assignment in assignments:
        step = by_id.get(assignment.step_instance_id)
        if step is None or not is_open_work(step, assignment):
            continue
        if step.id not in chains:
            chains[step.id] = audience_chain(step, clock) + escalation_chain(step, clock)
        for event in chains[step.id]:
            if event.at > now and (best is None or event.at < best):
                best = event.at
    return best
