"""Deliver the ledger's deliverable rows: one digest per recipient, one SMTP connection per batch.

`deliver_messages` is the one delivery task every flow calls; `deliver_due` is the plain loop
inside it (batches until nothing is left, the server is unreachable or the time budget is spent),
`deliver_batch` one batch and `deliver_to` the due items of given recipients (a receipt at once).
Each digest's rows are claimed `sending` before it goes out and marked `sent` after
(models/notify/attempts.py), so a crash or a store that fails after the send repeats at most
that one digest, and a retry of the same tick none.
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import datetime
from itertools import groupby

from prefect import task
from prefect.cache_policies import NO_CACHE
from sqlalchemy.exc import OperationalError

from models import db, organisation
from models.clock import parse_now
from models.notify import attempts, ledger
from models.notify.delivery_lock import delivery_lock
from models.notify.digest import Digest, Mail, render, to_email
from models.notify.digest import sender as parse_sender
from models.settings import get_settings
from tasks import delivery_digests as digests
from tasks.delivery_digests import MOOT
from tasks.delivery_marks import Marks, settle_owed
from tasks.mailer import (
    OutboxSender,
    PermanentDeliveryError,
    SmtpSender,
    TransientDeliveryError,
    UncertainDeliveryError,
    push_channels,
)

#: After this many connection failures in a row the rest of the batch waits for a later tick.
GIVE_UP_AFTER = 2
#: No new message starts after this many seconds of a delivery run (one in flight may finish:
#: RFC 5321 gives the server up to 10 minutes to accept a message). The incident watch runs
#: every 15 minutes and delivers what a tick left.
BUDGET_SECONDS = 600


def open_sender():
    """SMTP when ARSHJUL_SMTP_URL is set, else the .eml outbox."""
    settings = get_settings()
    if settings.smtp_url is not None and settings.smtp_url.get_secret_value():
        return SmtpSender(settings.smtp_url.get_secret_value())
    return OutboxSender(settings.resolved_outbox_dir)


def _prepare(recipient, rows, now, org, domain, mail_from) -> digests.Prepared:
    """Render a digest: pure work with no side effects, so it may run ahead of the sending."""
    if recipient is None or not (recipient.email or recipient.channels):
        why = "unknown recipient" if recipient is None else "no e-mail address or channel"
        return digests.Prepared(recipient, rows, problem=why)
    if not recipient.active:
        return digests.Prepared(recipient, rows, problem=MOOT)
    lang, name = org.language, org.name
    digest = render(recipient, rows, lang=lang, now=now, domain=domain, organisation=name,
                    today=org.today(now))
    ids = set(digest.row_ids)  # once per digest: a set per row was quadratic in its size
    kept = [r for r in rows if r.id in ids]
    digest.digest_id = digests.repeated_id(kept) or digest.digest_id
    mail = (to_email(digest, mail_from=mail_from, now=now, lang=lang, organisation=name)
            if recipient.email else None)
    return digests.Prepared(recipient, rows, digest, mail, kept=kept)


def deliver_batch(now: datetime, limit: int = 500, *, recipients: list[str] | None = None,
                  deadline: float | None = None) -> dict:
    """Deliver the digests of up to `limit` recipients (or of `recipients`); returns counts
    (no personal data). No new message but the first starts after `deadline` (a
    `time.monotonic()` value), so a run whose set-up took the whole budget still moves on.

    Each digest is rendered while the SMTP server accepts the one before it; sending and the
    ledger marks stay strictly in order, one digest at a time (at most one in flight).
    """
    settings = get_settings()
    url = settings.resolved_database_url
    stats: Counter = Counter()
    with delivery_lock(url), db.pinned_session(url) as session:
        settle_owed(url, session)
        stats["possibly_repeated"] += attempts.settle_interrupted(session=session, now=now)
        if recipients is None:
            recipients = ledger.deliverable_recipients(session=session, now=now, limit=limit)
        rows = ledger.deliverable_rows(recipients, session=session, now=now)
        who = digests.recipients(recipients, session)
        groups = [(who.get(rid), list(g)) for rid, g in groupby(rows, key=lambda r: r.recipient_id)]
        _deliver_groups(groups, Marks(session, now, url), now, stats, deadline)
        stats["remaining"] = len(
            ledger.deliverable_recipients(session=session, now=now, limit=1))
    stats["recipients"] = len(recipients)
    return {k: v for k, v in stats.items() if v or k in ("remaining", "recipients")}


def _deliver_groups(groups: list, marks: Marks, now, stats: Counter, deadline) -> None:
    settings = get_settings()
    org = organisation.info(session=marks.session)
    domain = parse_sender(settings.mail_from)[1].rpartition("@")[2] or "arshjul"
    ahead = digests.Ahead(groups,
                          lambda g: _prepare(*g, now, org, domain, settings.mail_from))
    with open_sender() as sender:
        sender.idle = ahead.prepare_next  # while the server accepts the message before it
        try:
            for done in range(len(groups)):
                # the first message always goes: a run whose set-up ate the budget still moves
                if done and _stop(sender, deadline, stats):
                    stats["not_attempted"] += sum(len(rows) for _, rows in groups[done:])
                    break
                _deliver_one(ahead.take(done), sender, marks, stats)
        finally:
            marks.flush()


def _stop(sender, deadline: float | None, stats: Counter) -> bool:
    """Leave the rest of the batch for later: the server is unreachable, or time is up."""
    if sender.failures >= GIVE_UP_AFTER:
        stats["unreachable"] = 1
    elif deadline is not None and time.monotonic() >= deadline:
        stats["out_of_time"] = 1
    else:
        return False
    return True


def _deliver_one(item: digests.Prepared, sender, marks: Marks, stats: Counter) -> None:
    """Send one digest and leave its mark to be written with the next ledger change."""
    if item.problem:
        _undeliverable(item, marks, stats)
        return
    digest, kept = item.digest, item.kept

    def claim() -> None:  # before anything of this message is handed over
        marks.write(_cancel_superseded(digest) if digest.superseded else None,
                    [attempts.claim_statement(digest.row_ids, digest.digest_id)])

    try:
        note = _send(digest, item.mail, sender, claim)
    except UncertainDeliveryError as exc:
        error = str(exc)
        marks.write(lambda s: attempts.mark_uncertain(kept, error, session=s, now=marks.now))
        stats["uncertain"] += len(kept)
        return
    except (TransientDeliveryError, PermanentDeliveryError) as exc:
        _failed(kept, str(exc), marks, stats, isinstance(exc, PermanentDeliveryError))
        return
    marks.sent = (digest.row_ids, digest.digest_id, note)
    _count_sent(digest, kept, stats)


def _undeliverable(item: digests.Prepared, marks: Marks, stats: Counter) -> None:
    if item.problem == MOOT:  # left the organisation after the item was queued
        marks.write(lambda s: ledger.mark_cancelled([r.id for r in item.rows], MOOT, session=s,
                                                    commit=False))
        stats["cancelled"] += len(item.rows)
    else:
        _failed(item.rows, item.problem, marks, stats, permanent=True)


def _cancel_superseded(digest: Digest):
    return lambda session: ledger.mark_cancelled(digest.superseded, "superseded by a later item",
                                                 session=session, commit=False)


def _failed(rows: list, error: str, marks: Marks, stats: Counter, permanent: bool) -> None:
    counted: list[tuple[int, int]] = []
    marks.write(lambda s: counted.append(ledger.mark_failed(
        rows, error, session=s, now=marks.now, permanent=permanent, commit=False)))
    stats["failed"] += counted[0][0]
    stats["dead"] += counted[0][1]


def _count_sent(digest: Digest, kept: list, stats: Counter) -> None:
    stats["messages"] += 1
    stats["superseded"] += len(digest.superseded)
    for row in kept:
        stats[f"sent:{row.kind}"] += 1
        if row.step_instance_id is not None:
            stats[f"step:{row.step_instance_id}:{row.kind}"] += 1


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


def deliver_due(now: datetime, batch_size: int = 500, max_batches: int = 20,
                budget_seconds: float = BUDGET_SECONDS) -> dict:
    """Deliver batch after batch until nothing is due, the SMTP server cannot be reached, the
    budget is spent or `max_batches` ran; returns the summed counts (`batches`, `remaining`)."""
    deadline = time.monotonic() + budget_seconds
    total: Counter = Counter()
    for _ in range(max_batches):
        result = deliver_batch(now, batch_size, deadline=deadline)
        total.update({k: v for k, v in result.items() if k != "remaining"})
        total["batches"] += 1
        total["remaining"] = result.get("remaining", 0)
        if not total["remaining"] or result.get("unreachable") or result.get("out_of_time"):
            break
    return dict(total)


def deliver_to(recipient_ids: list[str], now: datetime) -> dict:
    """Deliver what is due for these recipients now (e.g. a receipt right after a submission)."""
    return deliver_batch(now, len(recipient_ids), recipients=list(recipient_ids))


@task(name="deliver_messages", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=2,
      retry_condition_fn=retry_store_errors)
def deliver_messages(now: str, batch_size: int = 500, max_batches: int = 20,
                     budget_seconds: float = BUDGET_SECONDS) -> dict:
    """Deliver everything due at `now`, batch by batch, and mark it in the ledger."""
    return deliver_due(parse_now(now, "UTC"), batch_size, max_batches, budget_seconds)
