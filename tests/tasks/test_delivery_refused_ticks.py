"""Five ticks in a row against a server that refuses connections (issue 15, item 7).

Before the fix every item was counted as attempted although a batch stops after two refused
connections: after five ticks all of them were dead, the fifth summary said `uppgivna: 0`, and
there was no way to send them again.
"""

from __future__ import annotations

import json
from collections import Counter

from sqlmodel import select
from typer.testing import CliRunner

from cli.engine import summary_lines
from cli.main import app
from models import db
from models.notify import ledger
from tests.engine_data import local, seed, submit_all_due_before, tick

WEEK = [local(2027, 11, day, 8, 0) for day in (1, 2, 3, 4, 5)]  # Monday to Friday


def rows():
    with db.session() as s:
        return list(s.exec(select(ledger.Notification)))


def arshjul(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_only_what_was_tried_dies_and_the_coordinator_can_requeue_it(store, smtp_sink):
    seed()
    submit_all_due_before(WEEK[0].date(), local(2027, 1, 1, 12, 0))
    smtp_sink.stop()
    for at in WEEK:
        recorded, delivered = tick(at)
    dead = [r for r in rows() if r.state == ledger.DEAD]
    untried = [r for r in rows() if r.attempts == 0]
    assert dead and {r.attempts for r in dead} == {ledger.MAX_ATTEMPTS}
    assert untried and {r.state for r in untried} == {ledger.PENDING}
    assert len(dead) + len(untried) == len(rows())
    result = {"now": WEEK[-1].isoformat(), "dry_run": False, "recorded": recorded,
              "delivered": delivered}
    assert f"uppgivna: {len(dead)};" in "\n".join(summary_lines(result))
    smtp_sink.start()
    out = arshjul("ledger", "requeue", "--all-dead")
    assert f"Köade om {len(dead)} poster" in out
    counts = json.loads(arshjul("ledger", "status", "--format", "json"))
    assert counts["pending"] == counts["total"] == len(rows())
    tick(local(2027, 11, 8, 8, 0))
    assert {r.state for r in rows()} == {ledger.SENT}
    people = {r.recipient_id for r in rows()}
    assert Counter(m["To"] for m in smtp_sink.messages) == {f"{p}@example.se": 1 for p in people}


def test_requeue_needs_a_selection_and_says_so(sqlite_store):
    result = CliRunner().invoke(app, ["ledger", "requeue"])
    assert result.exit_code == 2
    assert "fel: ange --recipient, --kind eller --all-dead" in result.output
