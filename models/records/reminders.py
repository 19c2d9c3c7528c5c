"""Reminders before a register row's review date (a data-processor agreement to be reviewed).

`due_reminders` is the pure rule: for each row with a review date, the latest offset
(`OFFSETS`, days relative to the date) that has been reached by `today`, so a system that was
down past several offsets sends only the latest one; nothing once the date is `STOP_AFTER` days
past. `record_reminders` puts them into the notification ledger (kind `register-review`, subject
`register:<row id>`, occasion `<date>:<offset>`: a row moved to a new date is reminded again),
for the scope's contacts and the DPO, on business days from the send hour, once each.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session, select

from models import organisation, roles
from models.business_days import is_business_day
from models.i18n import gettext
from models.notify import kinds, ledger
from models.records.registers import REGISTERS
from models.records.tables import RegisterEntry
from models.settings import get_settings

OFFSETS = (-30, -7, 0)
STOP_AFTER = timedelta(days=30)
_SCOPE_ROLES = {"unit": roles.CONTACT, "board": roles.DATA_PROTECTION_CONTACT}


@dataclass(frozen=True)
class Due:
    """One reminder due: the row, its review date and the offset reached."""

    entry_id: int
    review_on: date
    offset: int


def due_reminders(rows: list[tuple[int, date]], today: date) -> list[Due]:
    """(row id, review date) → the latest offset reached by `today`, per row (pure)."""
    out = []
    for entry_id, review_on in rows:
        if today > review_on + STOP_AFTER:
            continue
        reached = [o for o in OFFSETS if review_on + timedelta(days=o) <= today]
        if reached:
            out.append(Due(entry_id, review_on, max(reached)))
    return out


def _payload(entry: RegisterEntry, scope_name: str) -> dict:
    register = REGISTERS[entry.kind]
    title = {lang: gettext("Granska avtalet för {key} ({register})", lang, key=entry.key,
                           register=gettext(register.title, lang)) for lang in ("sv", "en")}
    # Read by the unit's contact and the DPO, who have no command line: they tell the
    # coordinator (who runs `arshjul register add`) or change the row in the year's review.
    note = {lang: gettext("Avtalets granskningsdatum närmar sig. När avtalet är granskat behöver "
                          "registret nästa granskningsdatum: meddela samordnaren, eller ändra "
                          "raden själv i årets genomgång i portalen.",
                          lang) for lang in ("sv", "en")}
    return ledger.Content(title=title, note=note, due=entry.review_on.isoformat(),
                          scope=scope_name).model_dump()


def _recipients(entry: RegisterEntry, session: Session) -> list[str]:
    role = _SCOPE_ROLES.get(entry.scope_kind)
    people = roles.holders(role, entry.scope_id, session=session) if role else []
    return sorted(set(people + roles.holders(roles.DPO, session=session))) or [
        p.id for p in roles.coordinators(session=session)]


def record_reminders(now: datetime, *, session: Session) -> dict:
    """Record the review reminders due at `now` in the ledger (each once); returns counts."""
    local = now.astimezone(organisation.info(session=session).tz)
    if local.hour < get_settings().send_hour or not is_business_day(local.date()):
        return {"due": 0, "recorded": 0}  # messages go out on business days from the send hour
    today = local.date()
    rows = session.exec(select(RegisterEntry).where(RegisterEntry.review_on.is_not(None))).all()
    by_id = {r.id: r for r in rows}
    reached = due_reminders([(r.id, r.review_on) for r in rows], today)
    # every unit's and board's name only when something is due (a region's every tick, else)
    names = organisation.scope_names(session=session) if reached else {}
    items = []
    for due in reached:
        entry = by_id[due.entry_id]
        body = _payload(entry, names.get((entry.scope_kind, entry.scope_id), entry.scope_id))
        occasion = f"{due.review_on.isoformat()}:{due.offset:+d}"
        subject = f"register:{entry.id}"
        items += [ledger.LedgerItem(kinds.REGISTER_REVIEW, subject, occasion, p, body)
                  for p in _recipients(entry, session)]
    return {"due": len(items), "recorded": ledger.enqueue(items, session=session, now=now)}
