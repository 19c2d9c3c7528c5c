"""Extra channels through apprise (json:// to a real HTTP server on loopback), per person and
unit."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlmodel import select

from models import db
from models.notify import ledger
from models.org import Person, Unit
from tests.engine_data import local, seed, submit_all_due_before, tick
from tests.smtp_sink import free_port, text_of

NOV1 = local(2027, 11, 1, 8, 0)


@pytest.fixture
def hook():
    """An HTTP endpoint that records JSON posts (what apprise's json:// sends)."""
    posts: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server naming
            posts.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"json://127.0.0.1:{server.server_address[1]}/hook", posts
    server.shutdown()


def set_channels(person: str | None = None, unit: str | None = None, url: str = "") -> None:
    with db.session() as s:
        if person:
            s.get(Person, person).notify = [url]
        if unit:
            s.get(Unit, unit).notify = [url]


def rows_for(recipient: str):
    with db.session() as s:
        query = select(ledger.Notification).where(ledger.Notification.recipient_id == recipient)
        return list(s.exec(query))


def start(**channels):
    seed()
    submit_all_due_before(NOV1.date(), local(2027, 1, 1, 12, 0))
    set_channels(**channels)


def test_person_channel_gets_the_digest_besides_the_email(store, smtp_sink, hook):
    url, posts = hook
    start(person="anna", url=url)
    tick(NOV1)
    (mail,) = smtp_sink.to("anna@example.se")
    (post,) = posts
    assert post["title"] == mail["Subject"] and "Riskanalys" in post["message"]


def test_unit_channel_gets_a_notice_without_personal_links(store, smtp_sink, hook):
    url, posts = hook
    start(unit="socialforvaltningen", url=url)
    tick(NOV1)
    (post,) = posts
    assert "Riskanalys (Socialförvaltningen)" in post["message"] and "/a/" not in post["message"]
    assert {r.state for r in rows_for("unit:socialforvaltningen")} == {"sent"}


def test_unit_channel_down_is_retried_later(sqlite_store, smtp_sink, hook):
    url, posts = hook
    closed = f"json://127.0.0.1:{free_port()}/hook"
    start(unit="socialforvaltningen", url=closed)
    tick(NOV1)
    failed = rows_for("unit:socialforvaltningen")
    assert {(r.state, r.attempts) for r in failed} == {("failed", 1)}
    assert "apprise" in failed[0].last_error and "127.0.0.1" not in failed[0].last_error
    set_channels(unit="socialforvaltningen", url=url)
    tick(local(2027, 11, 2, 8, 0))
    assert {r.state for r in rows_for("unit:socialforvaltningen")} == {"sent"}
    assert len(posts) == 1


def test_person_channel_down_does_not_resend_the_email(sqlite_store, smtp_sink):
    start(person="anna", url=f"json://127.0.0.1:{free_port()}/hook")
    tick(NOV1)
    tick(local(2027, 11, 2, 8, 0))
    assert len(smtp_sink.to("anna@example.se")) == 1
    rows = rows_for("anna")
    assert {r.state for r in rows} == {"sent"}
    assert "extra channel failed" in rows[0].last_error
    assert "Riskanalys" in text_of(smtp_sink.to("anna@example.se")[0])
