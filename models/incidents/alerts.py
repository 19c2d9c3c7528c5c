"""Incident clock alerts into the notification ledger: which items, for whom, with what text.

The rules of *when* are `models.incidents.clocks.due_alerts`; this module turns due alerts into
ledger items (kind `incident-alert`, subject `incident:<id>` for the registration alert and
`incident:<id>:<clock>` per clock, occasion the moment) so that a re-run or a concurrent watch
records each alert once, and the deliverer sends it once. Recipients are the active holders of
the clock's organisation-wide roles (DPO for GDPR; IT-säkerhetsansvarig and the coordinator for
NIS2), falling back to the coordinators so that an alert never vanishes. Texts come from
templates/incidents/alert.txt.j2 (one template, rendered once per language).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, or_, select

from models import roles
from models.i18n import translator
from models.incidents import clocks as rules
from models.incidents.clocks import Alert, ClockView
from models.incidents.register import Incident, IncidentClock, org_timezone
from models.incidents.views import category_text
from models.notify import kinds, ledger
from models.notify.digest import environment
from models.org import Unit

KIND = kinds.INCIDENT_ALERT
FALLBACK_ROLE = roles.COORDINATOR
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


def live_clocks(now: datetime, *, session: Session) -> list[tuple[Incident, list[ClockView]]]:
    """The live incidents with their clocks in legal order (two queries, whatever the number)."""
    incidents = live_incidents(now, session=session)
    by_incident: dict[int, list[ClockView]] = {i.id: [] for i in incidents}
    for start in range(0, len(incidents), 1000):
        ids = [i.id for i in incidents[start : start + 1000]]
        c = IncidentClock
        stmt = select(c.incident_id, c.kind, c.deadline, c.status).where(c.incident_id.in_(ids))
        for incident_id, kind, deadline, status in session.exec(stmt):
            by_incident[incident_id].append(ClockView(kind, deadline, status))
    order = rules.CLOCK_ORDER.index
    return [(i, sorted(by_incident[i.id], key=lambda c: order(c.kind))) for i in incidents]


def _recorded(subjects: set[str], session: Session) -> set[tuple[str, str, str]]:
    """(subject, occasion, recipient) of the alerts of `subjects` already in the ledger."""
    n = ledger.Notification
    found: set[tuple[str, str, str]] = set()
    listed = sorted(subjects)
    for start in range(0, len(listed), 1000):
        stmt = select(n.subject, n.occasion, n.recipient_id).where(
            n.kind == KIND, n.subject.in_(listed[start : start + 1000])
        )
        found.update(tuple(row) for row in session.exec(stmt))
    return found


class _Recipients:
    """Holders of roles, looked up once per watch run."""

    def __init__(self, session: Session):
        self.session = session
        self.cache: dict[tuple[str, ...], list[str]] = {}

    def __call__(self, wanted: tuple[str, ...]) -> list[str]:
        if wanted not in self.cache:
            held = (p for role in wanted for p in roles.holders(role, session=self.session))
            people = list(dict.fromkeys(held))
            self.cache[wanted] = people or roles.holders(FALLBACK_ROLE, session=self.session)
        return self.cache[wanted]


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
        module = environment().get_template("incidents/alert.txt.j2").make_module(
            {"_": translator(lang)})
        context = _context(incident, alert, clocks, lang, tz, unit)
        for part in texts:
            texts[part][lang] = " ".join(str(getattr(module, part)(context)).split())
    due = rules.local(alert.deadline, tz) if alert.deadline else None
    return ledger.Content(**texts, due=due, scope=unit).model_dump()


def due_items(now: datetime, live, *, session: Session) -> tuple[int, list[ledger.LedgerItem]]:
    """(number of alert items due at `now`, ledger items of those not yet recorded).

    Only the new ones are rendered: a watch every 15 minutes mostly finds everything recorded.
    """
    tz = org_timezone(session=session)
    units = {u.id: u.name for u in session.exec(select(Unit)).all()}
    recipients = _Recipients(session)
    due = [
        (incident, clocks, alert, _subject(alert))
        for incident, clocks in live
        for alert in rules.due_alerts(incident.id, incident.registered_at, clocks, now)
    ]
    recorded = _recorded({subject for *_, subject in due}, session)
    count, items = 0, []
    for incident, clocks, alert, subject in due:
        people = recipients(alert.roles(clocks))
        count += len(people)
        new = [p for p in people if (subject, alert.moment, p) not in recorded]
        if new:
            body = payload(incident, alert, clocks, tz, units.get(incident.unit_id, ""))
            items.extend(ledger.LedgerItem(KIND, subject, alert.moment, p, body) for p in new)
    return count, items


def _subject(alert: Alert) -> str:
    return f"incident:{alert.incident_id}" + (f":{alert.clock}" if alert.clock else "")


def record_alerts(now: datetime, *, session: Session) -> dict:
    """Record due alerts in the ledger (once each) and cancel undelivered ones of closed clocks."""
    live = live_clocks(now, session=session)
    due, items = due_items(now, live, session=session)
    new = ledger.enqueue(items, session=session, now=now)
    cancelled = cancel_moot(session=session)
    wake = next_wakeup(now, session=session, live=live)
    return {
        "due": due,
        "recorded": new,
        "cancelled": cancelled,
        "next_wakeup": wake.isoformat() if wake else None,
    }


def cancel_moot(*, session: Session) -> int:
    """Cancel undelivered clock alerts whose clock was closed before they went out."""
    n, c = ledger.Notification, IncidentClock
    waiting = session.exec(
        select(n.id, n.subject).where(n.kind == KIND, n.state.in_([ledger.PENDING, ledger.FAILED]))
    ).all()
    ids = sorted({int(subject.split(":")[1]) for _id, subject in waiting})
    closed: set[str] = set()
    for start in range(0, len(ids), 1000):
        stmt = select(c.incident_id, c.kind).where(
            c.status != rules.OPEN, c.incident_id.in_(ids[start : start + 1000])
        )
        closed.update(f"incident:{incident_id}:{kind}" for incident_id, kind in session.exec(stmt))
    moot = [row_id for row_id, subject in waiting if subject in closed]
    ledger.mark_cancelled(moot, "the clock was closed before delivery", session=session)
    return len(moot)


def next_wakeup(now: datetime, *, session: Session, live=None) -> datetime | None:
    """The next moment after `now` at which any incident alert falls due (None if none)."""
    live = live if live is not None else live_clocks(now, session=session)
    moments = (rules.next_wakeup(i.registered_at, clocks, now) for i, clocks in live)
    return min((m for m in moments if m is not None), default=None)
