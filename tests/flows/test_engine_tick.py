"""The tick flow under Prefect: run name, bounded task runs, artifacts, retry after a failure."""

from __future__ import annotations

import asyncio
import json

import pytest
from sqlmodel import select

from flows.tick import tick
from models import db
from models.notify import ledger
from tests.engine_data import local, seed, submit_all_due_before
from tests.flows.prefect_live import settled_task_runs

NOV1 = local(2027, 11, 1, 8, 0)


@pytest.fixture
def quiet_store(sqlite_store, prefect_harness):
    seed()
    submit_all_due_before(NOV1.date(), local(2027, 1, 1, 12, 0))
    return sqlite_store


def _run_info(flow_run_id, expected_tasks: int):
    from prefect.client.orchestration import get_client

    async def fetch():
        async with get_client() as client:
            return await client.read_flow_run(flow_run_id), await client.read_artifacts()

    tasks = settled_task_runs(flow_run_id, expected_tasks)
    run, artifacts = asyncio.run(fetch())
    return run, tasks, artifacts


def test_tick_flow_sends_names_the_run_and_leaves_artifacts(quiet_store, smtp_sink):
    state = tick(now=NOV1.isoformat(), return_state=True)
    result = state.result()
    assert result["delivered"]["messages"] == len(smtp_sink.messages) > 0
    run, task_runs, artifacts = _run_info(state.state_details.flow_run_id, expected_tasks=5)
    assert run.name == "tick 2027-11-01 08:00"
    names = sorted(t.name.rsplit("-", 1)[0] for t in task_runs)
    assert names == ["deliver_messages", "publish_cycle_overview", "publish_tick_artifacts",
                     "record_due_notifications", "record_review_reminders"]
    mine = [a for a in artifacts if a.flow_run_id == run.id]
    keys = {a.key for a in mine}
    assert keys == {"tick-summary", "wheel-status-2027", "cycle-2027"}
    cycle = next(a for a in mine if a.key == "cycle-2027")
    assert "data:image/svg+xml;base64," in cycle.data  # the drawn wheel
    # the organisation's language, step titles, labels and local time
    assert "| Identifiera och analysera | Riskanalys | 2027-09-01 | 2027-11-15 | pågår |" in \
        cycle.data
    assert "Läge 2027-11-01 08:00 CET:" in cycle.data and "example.se" not in cycle.data
    table = next(a for a in mine if a.key == "wheel-status-2027")
    rows = json.loads(table.data)
    assert "@" not in table.data
    assert {"Steg": "Riskanalys", "Öppnar": "2027-09-01", "Sista dag": "2027-11-15",
            "Läge": "pågår"}.items() <= next(r for r in rows if r["Steg"] == "Riskanalys").items()
    summary = next(a for a in mine if a.key == "tick-summary")
    assert "| Påminnelse |" in summary.data and "example.se" not in summary.data
    assert "| Riskanalys | Påminnelse | 2 |" in summary.data  # one per unit contact
    assert "Meddelanden skickade:" in summary.data
    for jargon in ("new in ledger", "dead", "cancelled as moot", "past-due", "UTC"):
        assert jargon not in summary.data + cycle.data


def test_january_shows_the_cycle_still_open(quiet_store, smtp_sink, caplog):
    with caplog.at_level("INFO", logger="prefect.flow_runs"):
        state = tick(now=local(2028, 1, 10, 8, 0).isoformat(), return_state=True)
    # the run's counts in one log line (counts only, no names or addresses)
    (line,) = [r.getMessage() for r in caplog.records if "nya i kön" in r.getMessage()]
    assert line.startswith("tick 2028-01-10 08:00: ") and line.endswith("cykel 2027")
    assert "@" not in line
    run, _tasks, artifacts = _run_info(state.state_details.flow_run_id, expected_tasks=4)
    mine = {a.key: a for a in artifacts if a.flow_run_id == run.id}
    assert {"cycle-2027", "wheel-status-2027"} <= set(mine) and "cycle-2028" not in mine
    assert "| Årsrapport: Uppföljning och utvärdering | 2027-12-01 | 2028-01-31 | pågår |" in \
        mine["cycle-2027"].data


def test_task_runs_are_bounded_by_batches(quiet_store, smtp_sink):
    state = tick(now=NOV1.isoformat(), batch_size=2, max_batches=2, return_state=True)
    result = state.result()
    assert result["batches"] == 2 and result["delivered"]["remaining"] > 0
    assert result["delivered"]["messages"] == 4
    state = tick(now=NOV1.isoformat(), return_state=True)  # the rest, on the next tick
    assert {r.state for r in _ledger()} == {"sent"}
    assert len(smtp_sink.messages) == len({r.recipient_id for r in _ledger()})


def _ledger():
    with db.session() as s:
        return list(s.exec(select(ledger.Notification)))


def test_flow_retry_after_a_failure_halfway_sends_each_digest_once(quiet_store, smtp_sink,
                                                                   monkeypatch):
    import tasks.deliver as deliver

    real, calls = deliver.render, []

    def flaky(recipient, rows, **kw):
        calls.append(recipient.id)
        if len(calls) == 3:
            raise RuntimeError("renderer crashed halfway")
        return real(recipient, rows, **kw)

    monkeypatch.setattr(deliver, "render", flaky)
    state = tick.with_options(retries=1, retry_delay_seconds=0)(
        now=NOV1.isoformat(), return_state=True)
    assert state.is_completed()
    assert len(calls) > 3  # the retry ran the batch again
    recipients = {r.recipient_id for r in _ledger()}
    assert sorted(m["To"] for m in smtp_sink.messages) == sorted(f"{p}@example.se"
                                                               for p in recipients)
    assert {r.state for r in _ledger()} == {"sent"}


def test_dry_run_sends_and_records_nothing(quiet_store, smtp_sink):
    result = tick(now=NOV1.isoformat(), dry_run=True)
    assert result["recorded"]["new"]["reminder"] >= 2
    assert smtp_sink.messages == [] and _ledger() == []
