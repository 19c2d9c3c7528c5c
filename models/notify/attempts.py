"""Around a send: claim the rows before, settle what a send left uncertain, requeue the dead.

A digest's rows are claimed `sending` in a commit before the message is handed over, so the
ledger never depends on a write that can fail *after* the send. What the store then holds:

- `sent`: the server accepted the message and the mark was written.
- `sending` with no retry time: the batch was interrupted (a crash, or a store that refused the
  mark, e.g. a full disk): the message was possibly handed over. The next batch sends it once
  more, as `resending` (the process that saw the acceptance writes the mark itself first, see
  tasks/deliver.py, so a retry of the same tick never repeats it).
- `sending` with a retry time: the server dropped the connection or stopped answering after it
  had the whole message; sent once more after the backoff.
- `resending` interrupted or uncertain again: marked `sent` as "possibly delivered" and never
  sent a third time (at most one repeat of a message).

Each function writes without committing unless it says so: tasks/deliver.py puts the previous
message's mark and the next message's claim into one commit.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, func, update
from sqlmodel import Session, select

from models.clock import as_utc
from models.notify import driver_sql
from models.notify.ledger import (
    BACKOFF,
    DEAD,
    FAILED,
    PENDING,
    RESENDING,
    SENDING,
    SENT,
    STATES,
    Notification,
)

POSSIBLY_SENT = "possibly delivered twice (interrupted again): not sent a third time"
REQUEUED = "requeued by a coordinator"
_TABLE = Notification.__table__
_CLAIM = (f"UPDATE notification SET state = CASE WHEN state IN ('{SENDING}', '{RESENDING}') "
          f"THEN '{RESENDING}' ELSE '{SENDING}' END, digest_id = {{p}}, next_attempt_at = NULL "
          "WHERE id IN ({ids})")


def claim(ids: list[int], digest_id: str, *, session: Session) -> None:
    """Mark rows `sending` in the digest `digest_id` (`resending` if they were `sending`).

    Plain SQL (models/notify/driver_sql.py): the hot path runs it once per digest."""
    driver_sql.execute_all(session, [claim_statement(ids, digest_id)])


def claim_statement(ids: list[int], digest_id: str) -> driver_sql.Statement:
    """`claim` as a write for `driver_sql.execute_all` (with the previous message's mark)."""
    return _CLAIM, list(ids), (digest_id,)


def mark_uncertain(rows: list, error: str, *, session: Session, now: datetime) -> None:
    """The server may have the message (dropped or silent after the data): try once more after
    the first backoff; if this was already the repeat, count it as (possibly) sent."""
    c = _TABLE.c
    repeat = c.state == RESENDING
    session.connection().execute(
        update(_TABLE).where(c.id.in_([r.id for r in rows])).values(
            attempts=c.attempts + 1, last_error=f"possibly delivered: {error}"[:2000],
            state=case((repeat, SENT), else_=SENDING),
            sent_at=case((repeat, as_utc(now, "UTC")), else_=None),
            next_attempt_at=case((repeat, None), else_=as_utc(now, "UTC") + BACKOFF[0])))


def settle_interrupted(*, session: Session, now: datetime) -> int:
    """Rows whose repeat was interrupted too: `sent` (possibly), never sent again. Commits."""
    c = _TABLE.c
    result = session.connection().execute(
        update(_TABLE).where(c.state == RESENDING).values(
            state=SENT, sent_at=as_utc(now, "UTC"), last_error=POSSIBLY_SENT,
            next_attempt_at=None))
    session.commit()
    return result.rowcount


def requeue(*, session: Session, recipient: str | None = None, kind: str | None = None) -> int:
    """Make dead rows (and failed ones waiting for their retry) of a recipient and/or a kind,
    or all of them, deliverable at the next tick with a fresh set of attempts. Commits."""
    c = _TABLE.c
    query = update(_TABLE).where(c.state.in_((DEAD, FAILED)))
    if recipient is not None:
        query = query.where(c.recipient_id == recipient)
    if kind is not None:
        query = query.where(c.kind == kind)
    result = session.connection().execute(query.values(
        state=PENDING, attempts=0, next_attempt_at=None, last_error=REQUEUED))
    session.commit()
    return result.rowcount


def state_counts(*, session: Session, kind: str | None = None) -> dict[str, int]:
    """Rows per state (every state, zeros included) and `total`, which is their sum."""
    query = select(Notification.state, func.count()).group_by(Notification.state)
    if kind is not None:
        query = query.where(Notification.kind == kind)
    found = dict(session.execute(query).all())
    out = {state: found.pop(state, 0) for state in STATES}
    out.update(found)  # a state this version does not know still counts
    out["total"] = sum(out.values())
    return out
