"""From the store to the ledger: load what the rules need, record what is due, find the next wakeup.

`record_due(now, session=…)` is the engine's reconciliation step; it is idempotent (the ledger's
unique key) and safe to run concurrently.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_
from sqlmodel import Session, select

from models import links, organisation, roles
from models.cycle.tables import Assignment, StepInstance
from models.i18n import LANGUAGES, format_date, gettext
from models.notify import due_sql, kinds, ledger, rules
from models.org import Person
from models.settings import get_settings

ENGINE_KINDS = (rules.INVITATION, rules.REMINDER, rules.ESCALATION)
DELIVERY_FAILURE = kinds.DELIVERY_FAILURE
#: Steps whose due date is further back than this cannot produce events any more.
_LOOKBACK = timedelta(days=120)


def clock_for(session: Session) -> rules.Clock:
    """The organisation's timezone and the configured send hour."""
    tz = organisation.info(session=session).timezone
    return rules.Clock(timezone=tz, send_hour=get_settings().send_hour)


def load_work(now: datetime, *, session: Session) -> tuple[dict[int, StepInstance], list]:
    """Live step instances that can still produce events, and their open assignments."""
    today = now.astimezone(ZoneInfo(clock_for(session).timezone)).date()
    steps = session.exec(
        select(StepInstance).where(
            StepInstance.retired_at.is_(None), StepInstance.due >= today - _LOOKBACK
        )
    ).all()
    by_id = {s.id: s for s in steps}
    assignments = session.exec(
        select(Assignment).where(
            Assignment.step_instance_id.in_(list(by_id) or [-1]),
            Assignment.retired_at.is_(None),
            Assignment.submitted_at.is_(None),
        )
    ).all()
    return by_id, list(assignments)


def plan_due(now: datetime, *, session: Session) -> tuple[int, list[ledger.LedgerItem]]:
    """(items of the current events already in the ledger, the new items) at `now`.

    Set-based (models/notify/due_sql.py): the rules pick each step's current events, the store
    returns only the pairs the ledger does not hold yet; payloads are built for those alone.
    """
    clock = clock_for(session)
    today = now.astimezone(ZoneInfo(clock.timezone)).date()
    steps = due_sql.live_steps(today, _LOOKBACK, session=session)
    audience, escalation = due_sql.current_events(steps, now, clock)
    pairs = due_sql.new_pairs(audience, escalation, session=session)
    known = due_sql.recorded_due(audience + escalation, session=session)
    return known, _items(pairs, clock.timezone, session)


def _items(pairs: list, tz: str, session: Session) -> list[ledger.LedgerItem]:
    if not pairs:
        return []
    ids = sorted({aid for _, aid, _ in pairs})
    by_assignment = {}
    for start in range(0, len(ids), 5000):  # under SQLite's bound-parameter limit
        # the columns the payload and the audience need, not ORM objects (a third of _items)
        query = select(Assignment.id, Assignment.scope_kind, Assignment.scope_id).where(
            Assignment.id.in_(ids[start:start + 5000]))
        by_assignment |= {a.id: a for a in session.exec(query)}
    steps = {c.step.id: c.step for c, _, _ in pairs}
    escalated = [(c.step, by_assignment[aid]) for c, aid, _ in pairs
                 if c.event.kind == rules.ESCALATION]
    waiting = _waiting(escalated, session)
    names = organisation.scope_names(session=session)
    payloads: dict[tuple, dict] = {}  # one payload per event, shared by its recipients
    notes: dict[tuple, dict] = {}  # one note per step and event
    items = []
    for current, aid, recipient in pairs:
        event, assignment = current.event, by_assignment[aid]
        key = (aid, event.kind, event.occasion)
        if key not in payloads:
            note_key = (current.step.id, event.kind, event.occasion)
            if note_key not in notes:
                notes[note_key] = _note(event, steps[current.step.id])
            payloads[key] = _payload(notes[note_key], current.step, assignment, names, tz)
            if event.kind == rules.ESCALATION:
                payloads[key]["waiting"] = waiting.get(aid, [])
        items.append(ledger.LedgerItem(
            kind=event.kind, subject=f"assignment:{aid}", occasion=event.occasion,
            recipient_id=recipient, payload=payloads[key],
            step_instance_id=current.step.id, assignment_id=aid,
        ))
    return items


def _waiting(escalated: list, session: Session) -> dict[int, list]:
    """The names of the people who owe each escalated assignment's answer (the step's audience)."""
    if not escalated:
        return {}
    wanted = {r for step, _ in escalated for r in roles.step_roles(step.audience_role)}
    directory = roles.load_directory(session=session, only=wanted)
    owed = {a.id: [p for p in roles.audience(step, a, directory)
                   if not p.startswith(roles.UNIT_RECIPIENT)] for step, a in escalated}
    ids = sorted({p for people in owed.values() for p in people})
    names = {}
    for start in range(0, len(ids), 5000):
        query = select(Person.id, Person.name).where(Person.id.in_(ids[start:start + 5000]))
        names |= {pid: name for pid, name in session.exec(query).all()}
    return {aid: [names.get(p) or p for p in people] for aid, people in owed.items()}


def _payload(note: dict, step: StepInstance, assignment, names, tz: str) -> dict:
    # The fields of ledger.Content, built as a plain dict: validating thousands of rows that we
    # build ourselves was a third of a region-scale tick.
    return {
        "title": {"sv": step.title_sv, "en": step.title_en},
        "purpose": {"sv": step.purpose_sv, "en": step.purpose_en},
        "due": step.due.isoformat(),
        "scope": names.get((assignment.scope_kind, assignment.scope_id), assignment.scope_id),
        "note": note,
        "link": assignment_link(assignment.id, step.due, tz),
        "url": None,
        "waiting": [],
    }


def assignment_link(assignment_id: int, due, tz: str) -> dict:
    """The `link` of a message about an assignment: valid while its step can be answered."""
    return {"kind": links.ASSIGNMENT, "subject": str(assignment_id),
            "until": _valid_until(due, tz)}


@lru_cache(maxsize=256)
def _valid_until(due, tz: str) -> str:
    return links.valid_until(due, tz)  # the same for every assignment of a step


def _note(due: rules.Event, step: StepInstance) -> dict[str, str]:
    if due.kind == rules.ESCALATION:
        return {lang: gettext("Sista dag var {day} och inget är inlämnat.", lang,
                              day=format_date(step.due, lang)) for lang in LANGUAGES}
    if due.kind == rules.REMINDER and due.occasion == "+0":
        return {lang: gettext("Sista dag är i dag.", lang) for lang in LANGUAGES}
    return {}


def cancel_moot(*, session: Session) -> int:
    """Cancel undelivered engine rows whose assignment was submitted or retired since."""
    query = (
        select(ledger.Notification.id)
        .join(Assignment, Assignment.id == ledger.Notification.assignment_id)
        .where(
            # a left-over `sending` row would be sent once more: not when it became moot
            ledger.Notification.state.in_((ledger.PENDING, ledger.FAILED, ledger.SENDING)),
            ledger.Notification.kind.in_(ENGINE_KINDS),
            or_(Assignment.submitted_at.is_not(None), Assignment.retired_at.is_not(None)),
        )
    )
    ids = list(session.exec(query))
    ledger.mark_cancelled(ids, "submitted or retired before delivery", session=session)
    return len(ids)


def failure_reports(*, session: Session) -> list[ledger.LedgerItem]:
    """One notice per dead row for every coordinator (delivered through the same ledger)."""
    coordinators = roles.holders(roles.COORDINATOR, session=session)
    items = []
    for row in ledger.problems(session=session):
        if row.kind == DELIVERY_FAILURE:
            continue  # never report a report: no loops
        title = row.payload.get("title", {})
        content = ledger.Content(
            title={lang: gettext("Kunde inte levereras: {title}", lang,
                                 title=title.get(lang, row.kind)) for lang in LANGUAGES},
            note={lang: gettext("Mottagare {recipient}, {attempts} försök: {error}", lang,
                                recipient=row.recipient_id, attempts=row.attempts,
                                error=row.last_error) for lang in LANGUAGES},
        )
        items += [ledger.LedgerItem(DELIVERY_FAILURE, f"notification:{row.id}", "dead", person,
                                    content.model_dump()) for person in sorted(set(coordinators))]
    return items


def record_due(now: datetime, *, session: Session, dry_run: bool = False) -> dict:
    """Record everything due at `now` in the ledger; returns counts of new items by kind."""
    recorded, items = plan_due(now, session=session)
    dead = select(func.count()).select_from(ledger.Notification).where(
        ledger.Notification.state == ledger.DEAD)  # one indexed count, not a count per state
    dead_total = session.execute(dead).scalar() or 0  # recording changes no dead row
    reports = failure_reports(session=session) if dead_total else []
    if reports:
        known = ledger.existing_keys([DELIVERY_FAILURE], session=session)
        reports = [i for i in reports
                   if (i.kind, i.subject, i.occasion, i.recipient_id) not in known]
    new = items + reports
    summary = {"due": recorded + len(items), "new": dict(Counter(i.kind for i in new)),
               "cancelled": 0}
    if not dry_run:
        summary["cancelled"] = cancel_moot(session=session)
        ledger.enqueue(new, session=session, now=now)
    summary["dead_total"] = dead_total
    return summary


def next_wakeup(now: datetime, *, session: Session) -> datetime | None:
    """When something next becomes due: a new event, or a failed delivery's retry."""
    steps, assignments = load_work(now, session=session)
    candidates = [rules.next_wakeup(steps, assignments, now, clock_for(session)),
                  ledger.next_retry(session=session)]
    found = [c for c in candidates if c is not None]
    return min(found) if found else None
