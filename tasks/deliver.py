"""Deliver the ledger's deliverable rows: one digest per recipient, one SMTP connection per batch.

`deliver_batch` is the plain function (the time-travel tests call it); `deliver_messages` is
the Prefect task around it. Each digest is marked in the ledger right after it went out, so a
crash repeats at most the one digest in flight.
"""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby

from prefect import task
from prefect.cache_policies import NO_CACHE
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, select

from models import db, organisation
from models.clock import parse_now
from models.notify import ledger
from models.notify.delivery_lock import delivery_lock
from models.notify.digest import Digest, Mail, Recipient, render, to_email
from models.notify.digest import sender as parse_sender
from models.org import Person, Unit
from models.roles import UNIT_RECIPIENT
from models.settings import get_settings
from tasks.mailer import (
    OutboxSender,
    PermanentDeliveryError,
    SmtpSender,
    TransientDeliveryError,
    push_channels,
)

MOOT = "recipient deactivated"
#: After this many connection failures in a row the rest of the batch waits for a later tick.
GIVE_UP_AFTER = 2


def open_sender():
    """SMTP when ARSHJUL_SMTP_URL is set, else the .eml outbox."""
    settings = get_settings()
    if settings.smtp_url is not None and settings.smtp_url.get_secret_value():
        return SmtpSender(settings.smtp_url.get_secret_value())
    return OutboxSender(settings.resolved_outbox_dir)


def _recipients(ids: list[str], session: Session) -> dict[str, Recipient]:
    people = [i for i in ids if not i.startswith(UNIT_RECIPIENT)]
    units = [i[len(UNIT_RECIPIENT):] for i in ids if i.startswith(UNIT_RECIPIENT)]
    out = {}
    for p in session.exec(select(Person).where(Person.id.in_(people or [""]))):
        out[p.id] = Recipient(p.id, p.email or "", p.name, list(p.notify or []), active=p.active)
    for u in session.exec(select(Unit).where(Unit.id.in_(units or [""]))):
        out[UNIT_RECIPIENT + u.id] = Recipient(UNIT_RECIPIENT + u.id, "", u.name,
                                               list(u.notify or []), person=False, active=u.active)
    return out


@dataclass
class _Prepared:
    """A recipient's rows, rendered (or the reason they cannot be)."""

    recipient: Recipient | None
    rows: list
    digest: Digest | None = None
    mail: Mail | None = None
    problem: str | None = None


def _prepare(recipient, rows, now, org, domain, mail_from) -> _Prepared:
    """Render a digest: pure work with no side effects, so it may run ahead in a thread."""
    if recipient is None or not (recipient.email or recipient.channels):
        why = "unknown recipient" if recipient is None else "no e-mail address or channel"
        return _Prepared(recipient, rows, problem=why)
    if not recipient.active:
        return _Prepared(recipient, rows, problem=MOOT)
    lang, name = org.language, org.name
    digest = render(recipient, rows, lang=lang, now=now, domain=domain, organisation=name,
                    today=org.today(now))
    mail = (to_email(digest, mail_from=mail_from, now=now, lang=lang, organisation=name)
            if recipient.email else None)
    return _Prepared(recipient, rows, digest, mail)


def deliver_batch(now: datetime, limit: int = 500) -> dict:
    """Deliver the digests of up to `limit` recipients; returns counts (no personal data).

    Rendering runs one digest ahead in a thread while the SMTP server answers; sending and the
    ledger marks stay strictly in order, one digest at a time (at most one in flight).
    """
    settings = get_settings()
    url = settings.resolved_database_url
    stats: Counter = Counter()
    with delivery_lock(url), db.session(url) as session:
        recipients = ledger.deliverable_recipients(session=session, now=now, limit=limit)
        rows = ledger.deliverable_rows(recipients, session=session, now=now)
        who = _recipients(recipients, session)
        org = organisation.info(session=session)
        domain = parse_sender(settings.mail_from)[1].rpartition("@")[2] or "arshjul"
        groups = [(who.get(rid), list(g)) for rid, g in groupby(rows, key=lambda r: r.recipient_id)]
        pool = ThreadPoolExecutor(1, thread_name_prefix="render")
        try:
            prepared = pool.map(
                lambda g: _prepare(*g, now, org, domain, settings.mail_from), groups)
            with open_sender() as sender:
                record = None  # the last sent message's ledger mark, not yet written
                try:
                    for item in prepared:
                        previous, record = record, None  # _deliver_one runs it, come what may
                        record = _deliver_one(item, sender, session, now, stats, previous)
                finally:
                    if record:
                        record()
        finally:
            pool.shutdown(wait=False, cancel_futures=True)
        stats["remaining"] = len(
            ledger.deliverable_recipients(session=session, now=now, limit=1))
    stats["recipients"] = len(recipients)
    return dict(stats)


def _deliver_one(item: _Prepared, sender, session, now, stats, previous):
    """Send one digest; returns its ledger mark to run later (while the next one is sent).

    `previous` is the mark of the message sent before; it runs while the server answers this
    message's first command (SmtpSender.send), or here first when nothing is sent. So the
    ledger stays in sending order and at most one sent message is ever unrecorded.
    """
    if item.problem or sender.failures >= GIVE_UP_AFTER or item.mail is None:
        if previous:
            previous()
        previous = None
    if item.problem == MOOT:  # left the organisation after the item was queued
        ledger.mark_cancelled([r.id for r in item.rows], MOOT, session=session)
        stats["cancelled"] += len(item.rows)
        return None
    if item.problem:
        ledger.mark_failed(item.rows, item.problem, session=session, now=now, permanent=True)
        stats["dead"] += len(item.rows)
        return None
    if sender.failures >= GIVE_UP_AFTER:
        ledger.mark_failed(item.rows, "SMTP unreachable: not attempted in this batch",
                           session=session, now=now)
        stats["failed"] += len(item.rows)
        return None
    digest = item.digest
    kept = [r for r in item.rows if r.id in set(digest.row_ids)]

    def cancel_superseded() -> None:
        if previous:
            previous()
        ledger.mark_cancelled(digest.superseded, "superseded by a later item", session=session)

    try:
        note = _send(digest, item.mail, sender, cancel_superseded)
    except TransientDeliveryError as exc:
        ledger.mark_failed(kept, str(exc), session=session, now=now)
        stats["failed"] += len(kept)
        return None
    except PermanentDeliveryError as exc:
        ledger.mark_failed(kept, str(exc), session=session, now=now, permanent=True)
        stats["dead"] += len(kept)
        return None
    stats["messages"] += 1
    stats["superseded"] += len(digest.superseded)
    for row in kept:
        stats[f"sent:{row.kind}"] += 1
        if row.step_instance_id is not None:
            stats[f"step:{row.step_instance_id}:{row.kind}"] += 1

    def record() -> None:
        ledger.mark_sent(digest.row_ids, digest.digest_id, session=session, now=now, note=note)

    return record


def _send(digest: Digest, mail: Mail | None, sender, meanwhile) -> str | None:
    """E-mail first (the channel of record), then the person's or unit's extra channels.

    For a person, a failing extra channel is noted but does not fail the item: retrying would
    send the e-mail twice. For a unit, the channels are all there is, so they must succeed.
    `meanwhile` (ledger bookkeeping of earlier messages) runs once, before anything is sent.
    """
    recipient = digest.recipient
    if mail is not None:
        sender.send(mail, meanwhile)
    else:
        meanwhile()
    if not recipient.channels:
        return None
    try:
        push_channels(recipient.channels, digest.subject, digest.text)
    except (TransientDeliveryError, PermanentDeliveryError) as exc:
        if mail is None:
            raise
        return f"e-mail sent; extra channel failed: {exc}"
    return None


def retry_store_errors(task, task_run, state) -> bool:
    """Retry a batch only when the store itself hiccupped (locked, connection dropped)."""
    try:
        state.result()
    except OperationalError:
        return True
    except Exception:
        return False
    return False


@task(name="deliver_messages", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=2,
      retry_condition_fn=retry_store_errors)
def deliver_messages(now: str, limit: int = 500) -> dict:
    """Deliver one batch of digests (up to `limit` recipients) and mark them in the ledger."""
    return deliver_batch(parse_now(now, "UTC"), limit)
