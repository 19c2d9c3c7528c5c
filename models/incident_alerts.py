"""Incident clock alerts into the notification ledger: which items, for whom, with what text.

The rules of *when* are `models.incident_clocks.due_alerts`; this module turns due alerts into
ledger items (kind `incident-alert`, subject `incident:<id>` for the registration alert and
`incident:<id>:<clock>` per clock, occasion the moment) so that a re-run or a concurrent watch
records each alert once, and the deliverer sends it once. Recipients are the active holders of
the clock's organisation-wide roles (DPO for GDPR; IT-säkerhetsansvarig and the coordinator for
NIS2), falling back to the coordinators so that an alert never vanishes. Texts come from
templates/incidents/alert_{sv,en}.j2.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, or_, select

from models import incident_clocks as rules
from models import ledger
from models.digest import environment
from models.incident_clocks import Alert, ClockView
from models.incident_views import category_text
from models.incidents import Incident, IncidentClock, clocks_of, holders, org_timezone
from models.org import Unit

KIND = "incident-alert"
FALLBACK_ROLE = "informationssakerhetssamordnare"
#: registration alerts are still looked for this long after registration (all clocks closed early).
REGISTRATION_WINDOW = timedelta(days=7)


def live_incidents(now: datetime, *, session: Session) -> list[Incident]:
    """Incidents that may have an alert due: an open clock, or registered recently."""
    has_open = select(IncidentClock.incident_id).where(IncidentClock.status == rules.OPEN)
    stmt = (
        select(Incident)
        .where(or_(Incident.id.in_(has_open), Incident.registered_at >= now - REGISTRATION_WINDOW))
        .order_by(Incident.id)
    )
    return list(session.exec(stmt).all())


def _views(clocks: list[IncidentClock]) -> list[ClockView]:
    return [ClockView(c.kind, c.deadline, c.status) for c in clocks]


def _recipients(roles: tuple[str, ...], session: Session) -> list[str]:
    people = list(dict.fromkeys(p for role in roles for p in holders(role, session=session)))
    return people or holders(FALLBACK_ROLE, session=session)


def _context(
    incident: Incident, alert: Alert, clocks: list[ClockView], lang: str, tz: str, unit: str
) -> dict:
    labels = rules.CLOCK_LABELS
    return {
        "id": incident.id,
        "moment": alert.moment,
        "unit": unit,
        "category": category_text(incident, lang),
        "aware": rules.local(incident.aware_at, tz),
        "clock": labels[alert.clock][lang] if alert.clock else "",
        "clock_id": alert.clock,
        "hours": {"before-24h": 24, "before-4h": 4}.get(alert.moment, 0),
        "deadline": rules.local(alert.deadline, tz) if alert.deadline else "",
        "clocks": [
            {"label": labels[c.kind][lang], "deadline": rules.local(c.deadline, tz)} for c in clocks
        ],
    }


def payload(incident: Incident, alert: Alert, clocks: list[ClockView], tz: str, unit: str) -> dict:
    """The ledger payload of an alert, both languages rendered from the templates."""
    texts: dict[str, dict[str, str]] = {"title": {}, "purpose": {}, "note": {}}
    for lang in ("sv", "en"):
        module = environment().get_template(f"incidents/alert_{lang}.j2").module
        context = _context(incident, alert, clocks, lang, tz, unit)
        for part in texts:
            texts[part][lang] = " ".join(str(getattr(module, part)(context)).split())
    due = rules.local(alert.deadline, tz) if alert.deadline else None
    return ledger.Content(**texts, due=due, scope=unit).model_dump()


def alert_items(now: datetime, *, session: Session) -> list[ledger.LedgerItem]:
    """Ledger items for every incident alert due at `now` (already recorded ones included)."""
    tz = org_timezone(session=session)
    units = {u.id: u.name for u in session.exec(select(Unit)).all()}
    items = []
    for incident in live_incidents(now, session=session):
        clocks = _views(clocks_of(incident.id, session=session))
        for alert in rules.due_alerts(incident.id, incident.registered_at, clocks, now):
            subject = f"incident:{incident.id}" + (f":{alert.clock}" if alert.clock else "")
            body = payload(incident, alert, clocks, tz, units.get(incident.unit_id, ""))
            for person in _recipients(alert.roles(clocks), session):
                items.append(ledger.LedgerItem(KIND, subject, alert.moment, person, body))
    return items


def record_alerts(now: datetime, *, session: Session) -> dict:
    """Record due alerts in the ledger (once each) and cancel undelivered ones of closed clocks."""
    items = alert_items(now, session=session)
    new = ledger.enqueue(items, session=session, now=now)
    cancelled = cancel_moot(session=session)
    wake = next_wakeup(now, session=session)
    return {
        "due": len(items),
        "recorded": new,
        "cancelled": cancelled,
        "next_wakeup": wake.isoformat() if wake else None,
    }


def cancel_moot(*, session: Session) -> int:
    """Cancel undelivered clock alerts whose clock was closed before they went out."""
    waiting = session.exec(
        select(ledger.Notification).where(
            ledger.Notification.kind == KIND,
            ledger.Notification.state.in_([ledger.PENDING, ledger.FAILED]),
        )
    ).all()
    ids = {int(row.subject.split(":")[1]) for row in waiting}
    closed = (
        {
            f"incident:{c.incident_id}:{c.kind}"
            for c in session.exec(
                select(IncidentClock).where(
                    IncidentClock.status != rules.OPEN, IncidentClock.incident_id.in_(ids)
                )
            )
        }
        if ids
        else set()
    )
    moot = [row.id for row in waiting if row.subject in closed]
    ledger.mark_cancelled(moot, "the clock was closed before delivery", session=session)
    return len(moot)


def next_wakeup(now: datetime, *, session: Session) -> datetime | None:
    """The next moment after `now` at which any incident alert falls due (None if none)."""
    moments = []
    for incident in live_incidents(now, session=session):
        clocks = _views(clocks_of(incident.id, session=session))
        moments.append(rules.next_wakeup(incident.registered_at, clocks, now))
    return min((m for m in moments if m is not None), default=None)
