"""Delivery to a server that advertises PIPELINING (RFC 2920), as production MTAs do: MAIL,
RCPT and DATA go out in one write, and every fault of tests/smtp_faults.py still ends with each
message delivered exactly once (once more only when the server dropped the connection after it
had the message), on SQLite and PostgreSQL."""

from __future__ import annotations

import smtplib
from collections import Counter
from datetime import timedelta

import pytest
from sqlmodel import select

from models import db
from models.notify import attempts, ledger
from models.notify.digest import Mail
from tasks import mailer
from tasks.mailer import PermanentDeliveryError, SmtpSender
from tests.engine_data import local, seed, submit_all_due_before, tick
from tests.smtp_faults import FAULTS, FaultHandler, FaultSink
from tests.smtp_sink import serve

NOV1 = local(2027, 11, 1, 8, 0)
LATER = NOV1 + timedelta(minutes=20)
VICTIM = "anna@example.se"


class PipeliningHandler(FaultHandler):
    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        return responses[:-1] + ["250-PIPELINING", responses[-1]]


@pytest.fixture
def pipelining_smtp(monkeypatch):
    sink = FaultSink()
    sink.handler = PipeliningHandler()
    monkeypatch.setattr(mailer, "TIMEOUTS", mailer.Timeouts(10, 10, 10, 10, 3))
    yield from serve(sink, monkeypatch)


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


def _mail(to: str) -> Mail:
    data = f"From: arshjul@example.se\r\nTo: {to}\r\nSubject: prov\r\n\r\nHej\r\n".encode()
    return Mail("arshjul@example.se", to, "", data)


def test_a_refused_recipient_keeps_the_connection_and_the_order_of_marks(pipelining_smtp):
    pipelining_smtp.handler.refuse.add("nej@example.se")
    seen: list[int] = []
    with SmtpSender(pipelining_smtp.url) as sender:
        sender.send(_mail("ett@example.se"), lambda: seen.append(len(pipelining_smtp.messages)))
        with pytest.raises(PermanentDeliveryError, match="550"):
            sender.send(_mail("nej@example.se"), lambda: seen.append(len(pipelining_smtp.messages)))
        sender.send(_mail("tva@example.se"), lambda: seen.append(len(pipelining_smtp.messages)))
    assert seen == [0, 1, 1]  # each ran once, before its own message went out
    assert [m["To"] for m in pipelining_smtp.messages] == ["ett@example.se", "tva@example.se"]
    assert len(pipelining_smtp.handler.sessions) == 1


def test_a_failing_ledger_mark_leaves_the_pipelined_message_unsent(pipelining_smtp):
    def store_down() -> None:
        raise RuntimeError("the store went away")

    with SmtpSender(pipelining_smtp.url) as sender:
        with pytest.raises(RuntimeError, match="store went away"):
            sender.send(_mail("ett@example.se"), store_down)
        sender.send(_mail("tva@example.se"))
    assert [m["To"] for m in pipelining_smtp.messages] == ["tva@example.se"]
