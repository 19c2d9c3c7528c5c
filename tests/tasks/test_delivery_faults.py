"""Delivery through a misbehaving SMTP server (tests/smtp_faults.py) on SQLite and PostgreSQL:
every scenario ends with every message delivered exactly once, or once more when the server
dropped the connection after it had accepted the message — counted in the sink and in
`arshjul ledger status`."""

from __future__ import annotations

import json
from collections import Counter
from datetime import timedelta

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from cli.main import app
from models import db
from models.notify import ledger
from tasks import mailer
from tests.engine_data import local, seed, submit_all_due_before, tick
from tests.smtp_faults import FAULTS

NOV1 = local(2027, 11, 1, 8, 0)
#: after the first backoff (15 minutes), the same morning: nothing new is due
LATER = NOV1 + timedelta(minutes=20)
VICTIM = "anna@example.se"


@pytest.fixture(autouse=True)
def short_waits(monkeypatch):
    """RFC 5321's minutes shrunk to seconds, so that a silent server costs a test 3 s."""
    monkeypatch.setattr(mailer, "TIMEOUTS", mailer.Timeouts(10, 10, 10, 10, 3))


def arshjul(*args: str):
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def ledger_counts() -> dict:
    return json.loads(arshjul("ledger", "status", "--format", "json"))


def rows():
    with db.session() as s:
        return list(s.exec(select(ledger.Notification)))


def expected_messages(extra: dict[str, int]) -> Counter:
    """One message per digest the ledger says was sent (plus `extra` repeats per address)."""
    digests = {(r.recipient_id, r.digest_id) for r in rows() if r.state == ledger.SENT}
    out = Counter(f"{recipient}@example.se" for recipient, _ in digests)
    out.update(extra)
    return out


@pytest.mark.parametrize("fault", FAULTS + ("refuse",))
def test_every_message_arrives_once_whatever_the_server_does(store, faulty_smtp, fault):
    seed()
    submit_all_due_before(NOV1.date(), local(2027, 1, 1, 12, 0))
    if fault == "refuse":
        faulty_smtp.stop()
    else:
        faulty_smtp.fail(VICTIM, fault)
    tick(NOV1)
    if fault == "refuse":
        faulty_smtp.start()
    if fault == "550":  # given up at once; the coordinator requeues it after fixing the address
        assert {r.state for r in rows() if r.recipient_id == "anna"} == {ledger.DEAD}
        arshjul("ledger", "requeue", "--recipient", "anna")
    tick(LATER)
    tick(LATER + timedelta(minutes=20))
    repeats = {VICTIM: 1} if fault == "drop-after" else {}
    assert faulty_smtp.per_address() == expected_messages(repeats)
    assert faulty_smtp.per_address()[VICTIM] == 1 + len(repeats)
    counts = ledger_counts()
    assert counts["sent"] == counts["total"] == len(rows()) > 0
    assert sum(n for state, n in counts.items() if state != "total") == counts["total"]


def test_a_drop_after_the_data_is_not_repeated_in_the_same_tick(store, faulty_smtp):
    seed()
    submit_all_due_before(NOV1.date(), local(2027, 1, 1, 12, 0))
    faulty_smtp.fail(VICTIM, "drop-after", "drop-after")
    _, delivered = tick(NOV1)
    assert faulty_smtp.per_address()[VICTIM] == 1
    anna = [r for r in rows() if r.recipient_id == "anna"]
    assert {(r.state, r.attempts) for r in anna} == {(ledger.SENDING, 1)}
    assert all(r.last_error.startswith("possibly delivered") for r in anna)
    assert delivered["uncertain"] == len(anna) and delivered.get("failed", 0) == 0
    tick(LATER)  # the one repeat: dropped again, so counted as (possibly) sent, never a third
    tick(LATER + timedelta(hours=1))
    assert faulty_smtp.per_address()[VICTIM] == 2
    assert {r.state for r in rows()} == {ledger.SENT}
    first, repeat = faulty_smtp.to(VICTIM)  # the repeat says it is the same message
    assert first["Message-ID"] == repeat["Message-ID"] == anna[0].digest_id
