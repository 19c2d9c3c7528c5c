"""The notification ledger on SQLite and PostgreSQL: unique keys, states, backoff, dead rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import select

from models import db
from models.notify import ledger
from models.notify.plan import cancel_moot, failure_reports, next_wakeup, record_due
from tests.engine_data import (
    assignment,
    local,
    seed,
    submit,
)

NOW = datetime(2027, 10, 1, 6, 0, tzinfo=UTC)


def item(recipient="anna", occasion="-3", kind="campaign-reminder", subject="campaign:1"):
    content = ledger.Content(title={"sv": "Utbildning", "en": "Training"})
    return ledger.LedgerItem(kind, subject, occasion, recipient, content.model_dump())


def rows():
    with db.session() as s:
        return list(s.exec(select(ledger.Notification).order_by(ledger.Notification.id)))


def test_enqueue_is_idempotent_on_the_unique_key(store):
    with db.session() as s:
        assert ledger.enqueue([item(), item(recipient="bo")], session=s, now=NOW) == 2
        assert ledger.enqueue([item(), item(occasion="0")], session=s, now=NOW) == 1
    assert [(r.recipient_id, r.occasion, r.state) for r in rows()] == [
        ("anna", "-3", "pending"), ("bo", "-3", "pending"), ("anna", "0", "pending")]


def test_failed_rows_back_off_then_die(store):
    with db.session() as s:
        ledger.enqueue([item()], session=s, now=NOW)
    at = NOW
    for attempt in range(1, ledger.MAX_ATTEMPTS + 1):
        with db.session() as s:
            assert ledger.deliverable_recipients(session=s, now=at, limit=10) == ["anna"]
            (row,) = ledger.deliverable_rows(["anna"], session=s, now=at)
            ledger.mark_failed([row], "SMTP down", session=s, now=at)
            assert ledger.deliverable_recipients(session=s, now=at, limit=10) == []
        (row,) = rows()
        assert row.attempts == attempt
        if attempt < ledger.MAX_ATTEMPTS:
            assert row.state == "failed"
            assert row.next_attempt_at == at + ledger.BACKOFF[attempt - 1]
            at = row.next_attempt_at
    assert (row.state, row.last_error, row.next_attempt_at) == ("dead", "SMTP down", None)
    with db.session() as s:
        assert [p.id for p in ledger.problems(session=s)] == [row.id]
        assert ledger.counts(session=s) == {("campaign-reminder", "dead"): 1}


def test_sent_rows_are_not_deliverable_again(store):
    with db.session() as s:
        ledger.enqueue([item()], session=s, now=NOW)
        (row,) = ledger.deliverable_rows(["anna"], session=s, now=NOW)
        ledger.mark_sent([row.id], "<d1@x>", session=s, now=NOW)
        assert ledger.deliverable_recipients(session=s, now=NOW + timedelta(days=9), limit=5) == []
    (row,) = rows()
    assert (row.state, row.digest_id, row.attempts, row.sent_at) == ("sent", "<d1@x>", 1, NOW)


def test_record_due_writes_each_item_once_and_cancels_moot_rows(store):
    seed()
    monday = local(2027, 11, 1, 8, 0)  # riskanalys -14, uppföljning invitation
    with db.session() as s:
        first = record_due(monday, session=s)
        second = record_due(monday, session=s)
    assert first["new"] and second["new"] == {}
    risk = assignment("riskanalys", "socialforvaltningen").id
    reminders = [r for r in rows() if r.kind == "reminder" and r.assignment_id == risk]
    assert [r.occasion for r in reminders] == ["-14"]
    submit("riskanalys", "socialforvaltningen", monday + timedelta(hours=2))
    with db.session() as s:
        assert cancel_moot(session=s) == 1
    (row,) = [r for r in rows() if r.id == reminders[0].id]
    assert row.state == "cancelled"


def test_dry_run_writes_nothing(store):
    seed()
    with db.session() as s:
        summary = record_due(local(2027, 9, 1, 8, 0), session=s, dry_run=True)
    assert summary["new"]["invitation"] >= 2
    assert rows() == []


def test_dead_rows_are_reported_to_the_coordinators_once(store):
    seed()
    with db.session() as s:
        ledger.enqueue([item()], session=s, now=NOW)
        (row,) = ledger.deliverable_rows(["anna"], session=s, now=NOW)
        ledger.mark_failed([row], "550 no such user", session=s, now=NOW, permanent=True)
        reports = failure_reports(session=s)
        assert [(r.kind, r.recipient_id, r.subject) for r in reports] == [
            ("delivery-failure", "david", f"notification:{row.id}")]
        ledger.enqueue(reports, session=s, now=NOW)
        ledger.enqueue(failure_reports(session=s), session=s, now=NOW)
    assert len([r for r in rows() if r.kind == "delivery-failure"]) == 1


def test_next_wakeup_includes_retries(store):
    seed()
    with db.session() as s:
        after_plan = next_wakeup(local(2027, 1, 1, 0, 0), session=s)
        assert after_plan == local(2027, 1, 11, 8, 0)  # omvärldsanalys opens (10 Jan is a Sunday)
        ledger.enqueue([item()], session=s, now=NOW)
        (row,) = ledger.deliverable_rows(["anna"], session=s, now=NOW)
        ledger.mark_failed([row], "timeout", session=s, now=local(2027, 1, 4, 9, 0))
        assert next_wakeup(local(2027, 1, 4, 9, 0), session=s) == local(2027, 1, 4, 9, 15)


def test_engine_payloads_follow_the_documented_content_schema(sqlite_store):
    seed()
    with db.session() as s:
        record_due(local(2027, 11, 1, 8, 0), session=s)
    payloads = [r.payload for r in rows()]
    assert payloads
    for payload in payloads:
        assert ledger.Content.model_validate(payload).model_dump() == payload


def test_a_row_left_sending_is_sent_once_more_and_never_a_third_time(store):
    from models.notify import attempts

    with db.session() as s:
        ledger.enqueue([item()], session=s, now=NOW)
        (row,) = ledger.deliverable_rows(["anna"], session=s, now=NOW)
        attempts.claim([row.id], "<d1@x>", session=s)
        s.commit()  # the process dies here: the message may or may not have gone out
        assert ledger.deliverable_recipients(session=s, now=NOW, limit=5) == ["anna"]
        attempts.claim([row.id], "<d2@x>", session=s)
        s.commit()  # and dies again during the repeat
        assert ledger.deliverable_recipients(session=s, now=NOW, limit=5) == []
        assert attempts.settle_interrupted(session=s, now=NOW) == 1
    (row,) = rows()
    assert (row.state, row.digest_id, row.last_error) == ("sent", "<d2@x>",
                                                          attempts.POSSIBLY_SENT)


def test_requeue_by_recipient_kind_or_all_and_counts_that_add_up(store):
    from models.notify import attempts

    items = [item(), item(recipient="bo"), item(kind="incident-alert", subject="incident:1")]
    with db.session() as s:
        ledger.enqueue(items, session=s, now=NOW)
        ledger.mark_failed(ledger.deliverable_rows(["anna", "bo"], session=s, now=NOW),
                           "550 no such user", session=s, now=NOW, permanent=True)
        assert attempts.requeue(session=s, recipient="anna", kind="incident-alert") == 1
        assert attempts.requeue(session=s, kind="campaign-reminder") == 2
        assert attempts.requeue(session=s) == 0  # nothing dead or failed is left
        counts = attempts.state_counts(session=s)
    assert counts == {"pending": 3, "sending": 0, "resending": 0, "sent": 0, "failed": 0,
                      "dead": 0, "cancelled": 0, "total": 3}
    assert {(r.state, r.attempts, r.last_error) for r in rows()} == {
        ("pending", 0, attempts.REQUEUED)}
