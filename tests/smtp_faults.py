"""A real SMTP server on loopback (aiosmtpd) that misbehaves on request, for delivery tests.

Faults are given per recipient address and used up one transaction at a time
(`sink.fail("anna@example.se", "drop-after")`); a server that refuses connections is
`sink.stop()`. What each fault does, as an SMTP client sees it:

- `drop-before`: the connection closes at RCPT (nothing accepted);
- `drop-after`:  the message is accepted (kept) and the connection closes before the answer;
- `hang`:        no answer to the message's final "." until the client gives up (not kept);
- `451` / `550`: a temporary refusal of the data / a permanent refusal of the recipient;
- `421`:         the server is shutting down: refuses the recipient and closes the connection;
- `slow`:        the message is kept at once, the answer comes `slow_seconds` later (a server
                 that queues first and scans after: a client that gives up early sends it twice).
"""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest

from tests.smtp_sink import Handler, Sink, serve

FAULTS = ("drop-before", "drop-after", "hang", "421", "451", "550", "slow")


class FaultHandler(Handler):
    """The sink's handler with a queue of faults per recipient address."""

    def __init__(self):
        super().__init__()
        self.faults: dict[str, list[str]] = {}
        self.slow_seconds = 0.5

    def _next_fault(self, address: str) -> str | None:
        queue = self.faults.get(address) or []
        return queue.pop(0) if queue else None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        fault = (self.faults.get(address) or [None])[0]
        if fault == "drop-before":
            self._next_fault(address)
            server.transport.close()
            return "421 closing"  # never reaches the client
        if fault == "550":
            self._next_fault(address)
            return "550 5.1.1 no such user"
        if fault == "421":
            self._next_fault(address)
            server.loop.call_soon(server.transport.close)  # after the answer is written
            return "421 4.3.2 shutting down"
        return await super().handle_RCPT(server, session, envelope, address, rcpt_options)

    async def handle_DATA(self, server, session, envelope):
        fault = self._next_fault(envelope.rcpt_tos[0])
        if fault == "451":
            return "451 4.3.0 try again later"
        if fault == "hang":
            await asyncio.sleep(3600)  # cancelled when the client hangs up
        status = await super().handle_DATA(server, session, envelope)
        if fault == "slow":
            await asyncio.sleep(self.slow_seconds)
        if fault == "drop-after":
            server.transport.close()
        return status


class FaultSink(Sink):
    """A sink whose handler injects faults."""

    def __init__(self):
        super().__init__()
        self.handler = FaultHandler()

    def fail(self, address: str, *faults: str) -> None:
        """Apply `faults` to the next transactions for `address`, one each."""
        self.handler.faults.setdefault(address, []).extend(faults)

    def per_address(self) -> Counter:
        return Counter(m["To"] for m in self.messages)


@pytest.fixture
def faulty_smtp(monkeypatch):
    """A started fault-injecting sink, configured as the store's SMTP server."""
    yield from serve(FaultSink(), monkeypatch)


class PipeliningHandler(FaultHandler):
    """Faults as above, from a server that offers PIPELINING (RFC 2920) as Postfix, Exim and
    Exchange do: the client may send MAIL, RCPT and DATA in one write."""

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        return responses[:-1] + ["250-PIPELINING", responses[-1]]


@pytest.fixture
def pipelining_smtp(monkeypatch):
    """A started fault-injecting sink that offers PIPELINING, short client timeouts."""
    from tasks import mailer

    sink = FaultSink()
    sink.handler = PipeliningHandler()
    monkeypatch.setattr(mailer, "TIMEOUTS", mailer.Timeouts(10, 10, 10, 10, 3))
    yield from serve(sink, monkeypatch)
