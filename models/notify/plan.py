"""From the store to the ledger: load what the rules need, record what is due, find the next wakeup.

`record_due(now, session=…)` is the engine's reconciliation step; it is idempotent (the ledger's
unique key) and safe to run concurrently.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import or_
from sqlmodel import Session, select

from models import links, organisation, roles
from models.cycle.tables import Assignment, StepInstance
from models.i18n import LANGUAGES, format_date, gettext
from models.notify import kinds, ledger, rules
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


def plan_due(now: datetime, *, session: Session) -> list[ledger.LedgerItem]:
    """The ledger items the rules say are due at `now` (before de-duplication)."""
    steps, assignments = load_work(now, session=session)
    directory = roles.load_directory(session=session)
    due = rules.due_items(steps, assignments, directory, now, clock_for(session))
    if not due:
        return []
    names = organisation.scope_names(session=session)
    tz = clock_for(session).timezone
    by_assignment = {a.id: a for a in assignments}
    waiting = _waiting(due, steps, by_assignment, directory, session)
    payloads: dict[tuple, dict] = {}  # one payload per event, shared by its recipients
    items = []
    for d in due:
        key = (d.assignment_id, d.kind, d.occasion)
        if key not in payloads:
            payloads[key] = _payload(d, steps[d.step_instance_id],
                                     by_assignment[d.assignment_id], names, tz)
            if d.kind == rules.ESCALATION:
                payloads[key]["waiting"] = waiting.get(d.assignment_id, [])
        items.append(ledger.LedgerItem(
            kind=d.kind, subject=f"assignment:{d.assignment_id}", occasion=d.occasion,
            recipient_id=d.recipient_id, payload=payloads[key],
            step_instance_id=d.step_instance_id, assignment_id=d.assignment_id,
        ))
    return items


def _waiting(due: list, steps, by_assignment, directory, session: Session) -> dict[int, list]:
    """The names of the people who owe each escalated assignment's answer (the step's audience)."""
    escalated = {d.assignment_id for d in due if d.kind == rules.ESCALATION}
    if not escalated:
        return {}
    owed = {aid: [p for p in roles.audience(steps[by_assignment[aid].step_instance_id],
                                            by_assignment[aid], directory)
                  if not p.startswith(roles.UNIT_RECIPIENT)] for aid in escalated}
    ids = sorted({p for people in owed.values() for p in people})
    query = select(Person.id, Person.name).where(Person.id.in_(ids or [""]))
    names = {pid: name for pid, name in session.exec(query).all()}
    return {aid: [names.get(p) or p for p in people] for aid, people in owed.items()}


def _payload(due: rules.Due, step: StepInstance, assignment, names, tz: str) -> dict:
    # The fields of ledger.Content, built as a plain dict: validating thousands of rows that we
    # build ourselves was a third of a region-scale tick.
    return {
        "title": {"sv": step.title_sv, "en": step.title_en},
        "purpose": {"sv": step.purpose_sv, "en": step.purpose_en},
        "due": step.due.isoformat(),
        "scope": names.get((assignment.scope_kind, assignment.scope_id), assignment.scope_id),
        "note": _note(due, step),
        "link": assignment_link(assignment.id, step.due, tz),
        "url": None,
        "waiting": [],
    }


def assignment_link(assignment_id: int, due, tz: str) -> dict:
    """The `link` of a message about an assignment: valid while its step can be answered."""
    return {"kind": links.ASSIGNMENT, "subject": str(assignment_id),
            "until": links.valid_until(due, tz)}


def _note(due: rules.Due, step: StepInstance) -> dict[str, str]:
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
    items = plan_due(now, session=session)
    reports = failure_reports(session=session)
    known = ledger.existing_keys(list(ENGINE_KINDS) + [DELIVERY_FAILURE], session=session)
    new = [i for i in items + reports
           if (i.kind, i.subject, i.occasion, i.recipient_id) not in known]
    summary = {"due": len(items), "new": dict(Counter(i.kind for i in new)), "cancelled": 0}
    if not dry_run:
        summary["cancelled"] = cancel_moot(session=session)
        ledger.enqueue(new, session=session, now=now)
    summary["dead_total"] = sum(n for (_, state), n in ledger.counts(session=session).items()
                                if state == ledger.DEAD)
    return summary


def next_wakeup(now: datetime, *, session: Session) -> datetime | None:
    """When something next becomes due: a new event, or a failed delivery's retry."""
    steps, assignments = load_work(now, session=session)
    candidates = [rules.next_wakeup(steps, assignments, now, clock_for(session)),
                  ledger.next_retry(session=session)]
    found = [c for c in candidates if c is not None]
    return min(found) if found else None
