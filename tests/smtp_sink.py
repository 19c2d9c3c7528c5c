"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, for delivery tests.

The `smtp_sink` fixture (and `faulty_smtp`, tests/smtp_faults.py) is registered for every test
by tests/conftest.py.
"""

from __future__ import annotations

import socket
import threading
import time
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Handler:
    """Stores each message; can refuse recipients or slow down to simulate a busy server."""

    def __init__(self):
        self.messages: list[EmailMessage] = []
        self.sessions: set[int] = set()
        self.refuse: set[str] = set()
        self.delay = 0.0
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            import asyncio

            await asyncio.sleep(self.delay)
        msg = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append(msg)
            self.sessions.add(id(session))
        return "250 Message accepted"


class Sink:
    """The running server: `url` for ARSHJUL_SMTP_URL, `messages`, `stop()`/`start()` to simulate
    an outage on the same port."""

    def __init__(self):
        self.handler = Handler()
        self.port = free_port()
        self.controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    @property
    def messages(self) -> list[EmailMessage]:
        return self.handler.messages

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

    def start(self) -> None:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None
            time.sleep(0.05)


def serve(sink: Sink, monkeypatch):
    """Start `sink` as the store's SMTP server for one test (a fixture's body)."""
    from models.settings import get_settings

    sink.start()
    monkeypatch.setenv("ARSHJUL_SMTP_URL", sink.url)
    get_settings.cache_clear()
    yield sink
    sink.stop()


@pytest.fixture
def smtp_sink(monkeypatch):
    """A started sink, configured as the store's SMTP server."""
    yield from serve(Sink(), monkeypatch)


def text_of(msg: EmailMessage) -> str:
    return msg.get_body(preferencelist=("plain",)).get_content()


def html_of(msg: EmailMessage) -> str:
    return msg.get_body(preferencelist=("html",)).get_content()
