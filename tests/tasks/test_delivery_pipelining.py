"""Delivery to a server that advertises PIPELINING (RFC 2920), as production MTAs do: MAIL,
RCPT and DATA go out in one write, and every fault of tests/smtp_faults.py still ends with each
message delivered exactly once (once more only when the server dropped the connection after it
had the message), on SQLite and PostgreSQL. The server is tests/smtp_faults.py's `pipelining_smtp`;
SmtpSender's own order of marks against it: tests/tasks/test_engine_delivery.py."""

from __future__ import annotations

import smtplib
from collections import Counter
from datetime import timedelta

import pytest
from sqlmodel import select

from models import db
from models.notify import attempts, ledger
from tests.engine_data import local, seed, submit_all_due_before, tick
from tests.smtp_faults import FAULTS

NOV1 = local(2027, 11, 1, 8, 0)
LATER = NOV1 + timedelta(minutes=20)
VICTIM = "anna@example.se"


@pytest.fixture
def writes(monkeypatch):
    """What the client wrote to the server, one entry per write."""
    seen: list[bytes] = []
    real = smtplib.SMTP.send

    def send(self, s):
        seen.append(s if isinstance(s, bytes) else s.encode("ascii"))
        return real(self, s)

    monkeypatch.setattr(smtplib.SMTP, "send", send)
    return seen


def rows():
    with db.session() as s:
        return list(s.exec(select(ledger.Notification)))


@pytest.mark.parametrize("fault", FAULTS)
def test_every_message_arrives_once_through_a_pipelining_server(store, pipelining_smtp, writes,
                                                                fault):
    seed()
    submit_all_due_before(NOV1.date(), local(2027, 1, 1, 12, 0))
    pipelining_smtp.fail(VICTIM, fault)
    tick(NOV1)
    if fault == "550":  # given up at once; the coordinator requeues it after fixing the address
        assert {r.state for r in rows() if r.recipient_id == "anna"} == {ledger.DEAD}
        with db.session() as s:
            attempts.requeue(session=s, recipient="anna")
    tick(LATER)
    tick(LATER + timedelta(minutes=20))
    sent = {(r.recipient_id, r.digest_id) for r in rows() if r.state == ledger.SENT}
    expected = Counter(f"{recipient}@example.se" for recipient, _ in sent)
    expected[VICTIM] += fault == "drop-after"  # it had the message: the one repeat
    assert pipelining_smtp.per_address() == expected
    assert {r.state for r in rows()} == {ledger.SENT}
    envelopes = [w for w in writes if w.lower().startswith(b"mail from:")]
    assert envelopes and all(b"\r\nrcpt to:" in w and w.endswith(b"\r\ndata\r\n")
                             for w in envelopes)  # one write for MAIL, RCPT and DATA
