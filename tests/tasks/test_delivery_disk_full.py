"""A store that fills up right after the SMTP server accepted a digest (issue 15, item 5).

The tick runs in a process of its own with the delivery task's retries (`retry_store_errors`:
another go on a store error). SQLite: the disk really is full for that process
(RLIMIT_FSIZE at the size of the store's write-ahead log: the kernel refuses to let any file
grow, and SQLite reports the failed write). PostgreSQL: the server answers every write with its
own disk-full error (SQLSTATE 53100, raised by a trigger, as when its disk is full). Before the
fix the digest went out three times in that tick and a fourth time after space was freed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter

import pytest
from sqlalchemy import create_engine, text
from sqlmodel import select

from models import db
from models.notify import ledger
from models.settings import ROOT
from tests.engine_data import local, seed, submit_all_due_before, tick

NOV1 = local(2027, 11, 1, 8, 0)

FULL = """
CREATE OR REPLACE FUNCTION test_disk_full() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = 'disk_full';
END $$;
CREATE TRIGGER test_disk_full BEFORE INSERT OR UPDATE OR DELETE ON notification
  FOR EACH STATEMENT EXECUTE FUNCTION test_disk_full();
"""
FREED = "DROP TRIGGER IF EXISTS test_disk_full ON notification"

_CHILD = """
import os, resource, signal, sys
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError
from models.clock import parse_now
from tasks import mailer
from tasks.deliver import deliver_messages
from tests.engine_data import tick

url, real_send, full = os.environ["ARSHJUL_DATABASE_URL"], mailer.SmtpSender.send, []


def fill_the_disk():
    if url.startswith("sqlite"):
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failed write instead of a signal
        size = os.path.getsize(url.split("///", 1)[1] + "-wal")
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, resource.RLIM_INFINITY))
    else:
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text(sys.argv[2]))
        engine.dispose()


def send_then_fill(self, mail, meanwhile=None):
    real_send(self, mail, meanwhile)
    if not full:
        full.append(mail.to)
        fill_the_disk()


mailer.SmtpSender.send = send_then_fill
for attempt in range(deliver_messages.retries + 1):  # what the task's retry condition does
    try:
        tick(parse_now(sys.argv[1], "UTC"))
        break
    except OperationalError as exc:
        print("store error:", str(exc.orig).splitlines()[0], file=sys.stderr)
"""


@pytest.fixture
def free_space_after(store):
    yield store
    if store.startswith("postgresql"):
        _execute(store, FREED)


def _execute(url: str, sql: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(sql))
    engine.dispose()


def test_a_digest_accepted_before_the_disk_filled_is_not_sent_again(free_space_after,
                                                                     smtp_sink):
    store = free_space_after
    seed()
    submit_all_due_before(NOV1.date(), local(2027, 1, 1, 12, 0))
    env = {**os.environ, "ARSHJUL_DATABASE_URL": store, "ARSHJUL_SMTP_URL": smtp_sink.url,
           "PYTHONPATH": str(ROOT)}
    child = subprocess.run([sys.executable, "-c", _CHILD, NOV1.isoformat(), FULL], env=env,
                           capture_output=True, text=True, timeout=120)
    assert child.stderr.count("store error:") == 3, child.stderr  # the tick and both retries
    assert "disk I/O error" in child.stderr or "No space left on device" in child.stderr
    first = smtp_sink.messages[0]["To"]
    assert Counter(m["To"] for m in smtp_sink.messages) == {first: 1}  # never in the same tick
    if store.startswith("postgresql"):
        _execute(store, FREED)
    tick(NOV1)  # space freed: a new process, which cannot know whether it went out
    with db.session() as s:
        rows = list(s.exec(select(ledger.Notification)))
    assert {r.state for r in rows} == {ledger.SENT}
    received = Counter(m["To"] for m in smtp_sink.messages)
    assert received == {f"{r}@example.se": 1 + (f"{r}@example.se" == first)
                        for r in {r.recipient_id for r in rows}}  # at most one repeat
