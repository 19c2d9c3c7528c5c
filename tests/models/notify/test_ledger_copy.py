"""Large ledger batches (COPY on PostgreSQL): exactly once, also concurrently; order and content."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from sqlalchemy import func
from sqlmodel import select

from models import db
from models.notify import ledger

NOW = datetime(2027, 3, 1, 7, 0, tzinfo=UTC)
N = 5000


def items(n: int, start: int = 0, occasion: str = "remind:2027-03-01") -> list[ledger.LedgerItem]:
    content = ledger.Content(title={"sv": "Byt lösenord", "en": "Change password"},
                             note={"sv": "Rad ett\nrad\ttvå \\ \"citat\""},
                             link={"kind": "campaign", "subject": "1"})
    return [ledger.LedgerItem("campaign-reminder", "campaign:1", occasion, f"p-{i:05d}",
                              content.model_dump()) for i in range(start, start + n)]


def row_count() -> int:
    with db.session() as s:
        return s.execute(select(func.count()).select_from(ledger.Notification)).scalar()


def enqueue_in_threads(*batches: list[ledger.LedgerItem]) -> list[int]:
    """Each batch enqueued by its own thread, all starting together."""
    barrier, results, errors = threading.Barrier(len(batches)), [], []

    def run(batch: list[ledger.LedgerItem]) -> None:
        try:
            with db.session() as s:
                barrier.wait()
                results.append(ledger.enqueue(batch, session=s, now=NOW))
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)

    workers = [threading.Thread(target=run, args=(b,)) for b in batches]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert errors == []
    return results


def test_a_large_batch_concurrently_and_again_is_recorded_once(postgresql_store):
    batch = items(N)
    news = enqueue_in_threads(batch, batch)
    assert sum(news) == N and all(0 <= n <= N for n in news)
    assert row_count() == N
    with db.session() as s:
        assert ledger.enqueue(batch, session=s, now=NOW) == 0
        assert ledger.enqueue(items(N + 1000), session=s, now=NOW) == 1000
    assert row_count() == N + 1000


def test_batches_in_opposite_orders_do_not_deadlock(postgresql_store):
    large, small = items(N), items(ledger.COPY_FROM - 1, occasion="small")
    for batch in (large, small):
        news = enqueue_in_threads(batch, list(reversed(batch)))
        assert sum(news) == len(batch)
    assert row_count() == len(large) + len(small)


def test_a_large_batch_keeps_order_and_content(store):
    batch = list(reversed(items(ledger.COPY_FROM * 3)))
    with db.session() as s:
        assert ledger.enqueue(batch + batch[:5], session=s, now=NOW) == len(batch)
    with db.session() as s:
        rows = list(s.exec(select(ledger.Notification).order_by(ledger.Notification.id)))
    assert [r.recipient_id for r in rows] == [i.recipient_id for i in batch]
    first = rows[0]
    assert first.payload == batch[0].payload
    assert (first.state, first.attempts, first.created_at, first.step_instance_id,
            first.last_error, first.next_attempt_at) == ("pending", 0, NOW, None, None, None)


def test_a_large_batch_after_a_small_one_in_the_same_session(store):
    with db.session() as s:
        assert ledger.enqueue(items(3), session=s, now=NOW) == 3
        assert ledger.enqueue(items(ledger.COPY_FROM * 2), session=s, now=NOW) == (
            ledger.COPY_FROM * 2 - 3)
        assert ledger.enqueue(items(ledger.COPY_FROM, occasion="x"), session=s, now=NOW) == (
            ledger.COPY_FROM)
    assert row_count() == ledger.COPY_FROM * 3
