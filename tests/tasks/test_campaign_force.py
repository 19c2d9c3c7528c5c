"""Forcing a password change through Graph for the accounts left at the deadline."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlmodel import select

from models import db
from models.campaigns import store as campaign_store
from models.campaigns.tables import CampaignMember
from models.errors import InputError
from tasks.campaign_tasks import (
    close_campaigns_now,
    record_campaign_messages_now,
    refresh_campaigns_now,
)
from tasks.directory_sync import sync_directory_now
from tasks.force_change import force_password_changes_now
from tests.models.campaigns.campaign_data import seed_organisation
from tests.tasks.graph_fake import iso
from tests.tasks.test_campaign_drive import graph  # noqa: F401 (fixture)

START = datetime(2026, 10, 5, 8, tzinfo=UTC)


def test_dry_run_then_force_only_the_remaining(sqlite_store, graph):  # noqa: F811
    del graph.users[300:]
    with db.session() as s:
        seed_organisation(s)
    sync_directory_now(START)
    with db.session() as s:
        cid = campaign_store.start_drive(
            session=s, now=START, deadline=date(2026, 10, 7), start_day=START.date(),
            population={}, include_elected=False, force_change=True).id
    for user in graph.users[:200]:
        user["lastPasswordChangeDateTime"] = iso(datetime(2026, 10, 6, 9, tzinfo=UTC))
    after = datetime(2026, 10, 8, 6, tzinfo=UTC)
    sync_directory_now(after)
    refresh_campaigns_now(after)
    record_campaign_messages_now(after)
    assert close_campaigns_now(after) == [{"campaign": cid, "not_done": 98, "force_change": True}]
    remaining = {u["id"] for u in graph.users[200:] if u["accountEnabled"]}
    assert force_password_changes_now(cid, after, dry_run=True) == {
        "campaign": cid, "would_force": 98, "dry_run": True}
    assert graph.forced == []
    result = force_password_changes_now(cid, after, dry_run=False)
    assert result["forced"] == 98 and set(graph.forced) == remaining
    # a re-run (retry, second click) forces nobody twice
    assert force_password_changes_now(cid, after, dry_run=False)["forced"] == 0
    with db.session() as s:
        forced = s.exec(select(CampaignMember).where(CampaignMember.forced_at.is_not(None))).all()
        assert len(forced) == 98


def test_force_needs_a_drive(sqlite_store, graph):  # noqa: F811
    with pytest.raises(InputError, match="kampanj 99 finns inte"):
        force_password_changes_now(99, START, dry_run=True)
