"""The notification ledger: one row per message item, written before delivery, marked after.

How any area sends something (engine reminders, campaign reminders, incident clock alerts,
portal receipts) — see also docs/notifications.md:

    from models.notify import kinds, ledger
    ledger.enqueue([ledger.LedgerItem(
        kind=kinds.INCIDENT_ALERT,             # what (models/notify/kinds.py): heading, order
        subject="incident:17",                 # about what (area's own id scheme)
        occasion="gdpr-72h:-12h",              # which occasion of it (offset, rule, date, …)
        recipient_id="anna-berg",              # a Person id, or "unit:<unit id>" for unit channels
        payload=ledger.Content(title={"sv": …, "en": …}, due="2027-10-03T14:00+02:00",
                               purpose={…}, link={"kind": links.INCIDENT_REPORT, "subject": "x"}
                               ).model_dump(),
    )], session=s, now=at)

`(kind, subject, occasion, recipient_id)` is unique: enqueueing the same item again (a re-run, a
retry, a concurrent tick) is a no-op. `deliver_messages` (tasks/deliver.py) puts a recipient's
deliverable items into ONE digest, claims them `sending`, sends it and marks them `sent` with its
Message-ID (models/notify/attempts.py: what a row left `sending` means). Failures become `failed`
with a backoff (`BACKOFF`); after `MAX_ATTEMPTS` a row is `dead`, shown by `problems()`, reported
to the coordinators and requeued by them (`arshjul ledger requeue`). `cancelled` rows were
superseded (a later offset of the same chain) or became moot (submitted).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from pydantic import BaseModel
from sqlalchemy import JSON, Column, Text, UniqueConstraint, func, or_, text, update
from sqlalchemy import select as core_select
from sqlmodel import Field, Session, SQLModel, select

from models.bulk import insert_ignore
from models.clock import as_utc
from models.notify import driver_sql

PENDING, SENT, FAILED, DEAD, CANCELLED = "pending", "sent", "failed", "dead", "cancelled"
#: Claimed for a message that is being (or was possibly) handed over; the second time, `resending`.
SENDING, RESENDING = "sending", "resending"
STATES = (PENDING, SENDING, RESENDING, SENT, FAILED, DEAD, CANCELLED)
#: Wait after the n-th failed attempt before the next one.
BACKOFF = (timedelta(minutes=15), timedelta(hours=1), timedelta(hours=4), timedelta(hours=12))
MAX_ATTEMPTS = len(BACKOFF) + 1


class Notification(SQLModel, table=True):
    """One message item for one recipient; several items of a tick form one digest."""

    __table_args__ = (
        UniqueConstraint("kind", "subject", "occasion", "recipient_id", name="uq_notification"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=32)
    subject: str = Field(max_length=120)
    occasion: str = Field(max_length=64)
    recipient_id: str = Field(max_length=140, index=True)
    step_instance_id: int | None = Field(default=None, foreign_key="stepinstance.id", index=True)
    assignment_id: int | None = Field(default=None, foreign_key="assignment.id", index=True)
    payload: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    state: str = Field(default=PENDING, max_length=16, index=True)
    attempts: int = 0
    last_error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: datetime
    next_attempt_at: datetime | None = Field(default=None, index=True)
    sent_at: datetime | None = None
    digest_id: str | None = Field(default=None, max_length=200, index=True)


class Content(BaseModel):
    """What a digest shows for an item (the `payload` of a ledger row)."""

    title: dict[str, str]
    purpose: dict[str, str] = {}
    due: str | None = None
    scope: str | None = None
    note: dict[str, str] = {}
    #: a signed link made at render time for the recipient: {"kind": …, "subject": …}
    link: dict[str, str] | None = None
    url: str | None = None
    #: escalations: the names of those who owe the answer (kept in the store, never in Prefect)
    waiting: list[str] = []


@dataclass(frozen=True)
class LedgerItem:
    """An item to record; see the module docstring."""

    kind: str
    subject: str
    occasion: str
    recipient_id: str
    payload: dict
    step_instance_id: int | None = None
    assignment_id: int | None = None


def _utc(at: datetime) -> datetime:
    return as_utc(at, "UTC")


def _insert(session: Session):
    name = session.get_bind().dialect.name
    if name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # pragma: no cover - only the two supported stores
        raise RuntimeError(f"unsupported store dialect {name}")
    table = Notification.__table__
    return insert(table).on_conflict_do_nothing().returning(table.c.id)


#: Columns `enqueue` writes per row on the COPY path; the rest are constants or NULL.
COPY_COLUMNS = ("kind", "subject", "occasion", "recipient_id", "step_instance_id",
                "assignment_id", "payload", "created_at")
#: From this many items on, PostgreSQL gets them by COPY (bench/ledger_enqueue.py).
COPY_FROM = 20


def enqueue(items: list[LedgerItem], *, session: Session, now: datetime) -> int:
    """Record items that are not yet in the ledger; returns how many were new. Commits.

    Items are inserted in the given order (a chain's later occasion must get the larger id).
    Concurrent enqueues that share a kind take turns (PostgreSQL) and skip what the other
    inserted; SQLite has one writer at a time anyway.
    """
    if not items:
        return 0
    created = _utc(now)
    if session.get_bind().dialect.name != "postgresql":
        new = _values(items, session, created)
    else:
        _take_turns({i.kind for i in items}, session)
        new = (_copy if len(items) >= COPY_FROM else _values)(items, session, created)
    session.commit()
    return new


def _take_turns(kinds: set[str], session: Session) -> None:
    # Two batches that insert the same keys in different orders would deadlock on each other's
    # uncommitted rows; ids must follow the caller's order, so instead batches of a kind take
    # turns: a transaction lock per kind, always taken in the same order. Released at commit.
    connection = session.connection()
    for key in sorted(zlib.crc32(f"arshjul.notification:{k}".encode()) for k in kinds):
        connection.execute(_TURN, {"key": key})


_TURN = text("SELECT pg_advisory_xact_lock(:key)")


def _copy(items: list[LedgerItem], session: Session, created: datetime) -> int:
    # COPY into a temp table and one INSERT … SELECT … ON CONFLICT DO NOTHING (models/bulk.py):
    # the per-row VALUES path spent most of its time binding parameters.
    rows = [(i.kind, i.subject, i.occasion, i.recipient_id, i.step_instance_id, i.assignment_id,
             i.payload, created) for i in items]
    constants = {"state": f"'{PENDING}'", "attempts": "0"}
    return insert_ignore(session.connection(), Notification.__table__, COPY_COLUMNS, rows,
                         constants)


def _values(items: list[LedgerItem], session: Session, created: datetime) -> int:
    rows = [{**item.__dict__, "state": PENDING, "attempts": 0, "created_at": created,
             "last_error": None, "next_attempt_at": None, "sent_at": None, "digest_id": None}
            for item in items]
    # One statement executed for many rows (Core "insertmanyvalues"): compiling a multi-VALUES
    # statement per call cost more than the inserts themselves.
    result = session.connection().execute(_insert(session), rows)
    return len(result.all())


def existing_keys(kinds: list[str], *, session: Session) -> set[tuple[str, str, str, str]]:
    """The (kind, subject, occasion, recipient) keys already recorded for `kinds`."""
    n = Notification
    cols = (n.kind, n.subject, n.occasion, n.recipient_id)
    return {tuple(r) for r in session.execute(select(*cols).where(Notification.kind.in_(kinds)))}


def _deliverable(now: datetime):
    # `sending` rows are seen only by the holder of the delivery lock, so they are left over
    # from an interrupted batch (no retry time) or possibly sent (a retry time): see attempts.py
    return or_(
        Notification.state == PENDING,
        (Notification.state == FAILED) & (Notification.next_attempt_at <= _utc(now)),
        (Notification.state == SENDING) & or_(Notification.next_attempt_at.is_(None),
                                              Notification.next_attempt_at <= _utc(now)),
    )


def deliverable_recipients(*, session: Session, now: datetime, limit: int) -> list[str]:
    """Up to `limit` recipients with something to deliver at `now`, in a stable order."""
    query = (
        select(Notification.recipient_id)
        .where(_deliverable(now))
        .group_by(Notification.recipient_id)
        .order_by(Notification.recipient_id)
        .limit(limit)
    )
    return list(session.exec(query))


def deliverable_rows(recipients: list[str], *, session: Session, now: datetime) -> list:
    """The deliverable rows of `recipients`, ordered by recipient and id: read-only rows with
    the columns as attributes (a delivery batch reads thousands; ORM objects cost twice as
    much to load and nothing here changes them)."""
    query = (
        core_select(Notification.__table__)
        .where(_deliverable(now), Notification.recipient_id.in_(recipients))
        .order_by(Notification.recipient_id, Notification.id)
    )
    return list(session.connection().execute(query))


_SENT = (f"UPDATE notification SET state = '{SENT}', sent_at = {{p}}, digest_id = {{p}}, "
         "last_error = {p}, attempts = attempts + 1, next_attempt_at = NULL "
         f"WHERE state != '{SENT}' AND id IN ({{ids}})")


def mark_sent(ids: list[int], digest_id: str, *, session: Session, now: datetime, note=None,
              commit: bool = True) -> None:
    """Mark rows delivered in the digest `digest_id` (once per digest: hot path, plain SQL).

    Rows already `sent` are left as they are, so writing a mark twice changes nothing.
    """
    driver_sql.execute_all(session, [sent_statement(ids, digest_id, now=now, note=note)])
    if commit:
        session.commit()


def sent_statement(ids: list[int], digest_id: str, *, now: datetime,
                   note=None) -> driver_sql.Statement:
    """`mark_sent` as a write for `driver_sql.execute_all` (with the next message's claim)."""
    return _SENT, list(ids), (_utc(now), digest_id, note)


def mark_cancelled(ids: list[int], reason: str, *, session: Session, commit: bool = True) -> None:
    """Mark rows that need no delivery any more (superseded or moot)."""
    _set(ids, session, commit=commit, state=CANCELLED, last_error=reason, next_attempt_at=None)


def mark_failed(rows: list, error: str, *, session: Session, now: datetime, permanent=False,
                commit: bool = True) -> tuple[int, int]:
    """Record a failed attempt: back off for a later tick, or `dead` after the last attempt.

    Returns (rows that will be retried, rows now dead).
    """
    by_attempts: dict[int, list[int]] = {}
    for row in rows:
        by_attempts.setdefault(row.attempts + 1, []).append(row.id)
    counted = [0, 0]
    for attempts, ids in by_attempts.items():
        dead = permanent or attempts >= MAX_ATTEMPTS
        counted[dead] += len(ids)
        _set(ids, session, commit=False, attempts=attempts, last_error=error[:2000],
             state=DEAD if dead else FAILED,
             next_attempt_at=None if dead else _utc(now) + BACKOFF[attempts - 1])
    if commit:
        session.commit()
    return counted[0], counted[1]


def _set(ids: list[int], session: Session, commit: bool = True, **values) -> None:
    if not ids:
        return
    # A Core update on the session's connection: the batch's loaded rows are read-only snapshots,
    # and the ORM's session synchronisation made each update O(batch).
    table = Notification.__table__
    session.connection().execute(update(table).where(table.c.id.in_(ids)).values(**values))
    if commit:
        session.commit()


def counts(*, session: Session, since: datetime | None = None) -> dict[tuple[str, str], int]:
    """Number of rows per (kind, state), optionally only those created since `since`."""
    query = select(Notification.kind, Notification.state, func.count()).group_by(
        Notification.kind, Notification.state
    )
    if since is not None:
        query = query.where(Notification.created_at >= _utc(since))
    return {(k, s): n for k, s, n in session.execute(query)}


def problems(*, session: Session) -> list[Notification]:
    """Rows that will not be delivered without help (dead), oldest first — for `status`."""
    query = select(Notification).where(Notification.state == DEAD).order_by(Notification.id)
    return list(session.exec(query))


def next_retry(*, session: Session) -> datetime | None:
    """The earliest time a failed (or possibly sent) row may be retried."""
    query = select(func.min(Notification.next_attempt_at)).where(
        Notification.state.in_((FAILED, SENDING)))
    value = session.execute(query).scalar()
    return _utc(value) if value else None
