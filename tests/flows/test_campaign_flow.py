"""The campaigns flow under Prefect: bounded task runs, a progress artifact with counts only."""

from __future__ import annotations

import asyncio
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from flows.campaigns import campaigns
from models import db
from models.campaigns import store as campaign_store
from tasks.directory_sync import sync_directory_now
from tests.flows.prefect_live import settled_task_runs
from tests.models.campaigns.campaign_data import seed_organisation
from tests.tasks.test_campaign_drive import graph  # noqa: F401 (fixture)

pytestmark = pytest.mark.slow
TZ = ZoneInfo("Europe/Stockholm")


def _run(flow_run_id, expected_tasks: int):
    from prefect.client.orchestration import get_client

    async def artifacts():
        async with get_client() as client:
            return await client.read_artifacts()

    return settled_task_runs(flow_run_id, expected_tasks), asyncio.run(artifacts())


def test_flow_syncs_reminds_delivers_and_publishes_counts(sqlite_store, graph, prefect_harness):  # noqa: F811
    del graph.users[600:]
    with db.session() as s:
        seed_organisation(s)
    start = datetime(2026, 10, 5, 9, tzinfo=TZ)
    sync_directory_now(start)
    with db.session() as s:
        campaign_store.start_drive(session=s, now=start, deadline=date(2026, 10, 14),
                                   start_day=start.date(), population={},
                                   include_elected=False, force_change=False)
    state = campaigns(now=datetime(2026, 10, 5, 10, tzinfo=TZ).isoformat(), return_state=True)
    result = state.result()
    assert result["recorded"] == {"remind": 588}
    assert result["delivered_recipients"] == 588
    tasks, artifacts = _run(state.state_details.flow_run_id, expected_tasks=6)
    names = sorted(t.name.rsplit("-", 1)[0] for t in tasks)
    assert names == ["close_campaigns", "deliver_messages",
                     "publish_campaign_progress", "record_campaign_messages",
                     "refresh_campaigns", "sync_directory"]
    table = next(a for a in artifacts if a.key == "campaign-1"
                 and a.flow_run_id == state.state_details.flow_run_id)
    assert "TOTALT" in str(table.data) and "588" in str(table.data)
    assert "@" not in str(table.data) and "Användare" not in str(table.data)


def test_unreadable_directory_reminds_but_never_closes_on_stale_data(
        sqlite_store, graph, prefect_harness, monkeypatch):  # noqa: F811
    from models.campaigns.tables import Campaign
    from models.settings import get_settings

    del graph.users[50:]
    with db.session() as s:
        seed_organisation(s)
    start = datetime(2026, 10, 5, 9, tzinfo=TZ)
    sync_directory_now(start)
    with db.session() as s:
        campaign_store.start_drive(session=s, now=start, deadline=date(2026, 10, 6),
                                   start_day=start.date(), population={},
                                   include_elected=False, force_change=False)
    monkeypatch.setenv("ARSHJUL_GRAPH_CLIENT_SECRET", "expired")
    get_settings.cache_clear()
    after = datetime(2026, 10, 7, 9, tzinfo=TZ).isoformat()
    result = campaigns(now=after, deliver=False)
    assert "failed" in result["directory"] and result["closed"] == []
    assert result["recorded"] == {"remind": 49, "escalate": 3}  # one per unit chef, caught up
    with db.session() as s:
        assert s.get(Campaign, 1).closed_at is None
