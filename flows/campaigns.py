"""The campaign sync: every few hours, read the directory, see who is done, remind those who
are not, tell the chefs, and at the deadline hand IT the accounts still not reset."""

from __future__ import annotations

from prefect import flow

from models.clock import now as clock_now
from models.clock import parse_now
from models.settings import get_settings
from tasks.campaign_artifacts import publish_campaign_progress
from tasks.campaign_tasks import close_campaigns, record_campaign_messages, refresh_campaigns
from tasks.deliver import deliver_messages
from tasks.directory_sync import sync_directory
from tasks.force_change import force_password_changes


@flow(name="campaigns")
def campaigns(now: str | None = None, deliver: bool = True, max_batches: int = 200) -> dict:
    """Sync the directory and every active campaign at `now` (default the clock)."""
    at = (parse_now(now, "UTC") if now else clock_now()).isoformat()
    synced, fresh = {"source": ""}, True
    if get_settings().directory:
        state = sync_directory(at, return_state=True)
        # a directory that cannot be read must not stop reminders (they go on from the last
        # known state), but no drive closes on stale data: the IT list must be exact
        fresh = state.is_completed()
        synced = state.result() if fresh else {"failed": state.message or "sync failed"}
    refreshed = refresh_campaigns(at)
    recorded = record_campaign_messages(at)
    closed = close_campaigns(at) if fresh else []
    forced = [force_password_changes(c["campaign"], at) for c in closed if c["force_change"]]
    delivered = deliver_messages(at, 500, max_batches).get("recipients", 0) if deliver else 0
    publish_campaign_progress([c["campaign"] for c in closed])
    return {"now": at, "directory": synced, "refreshed": refreshed, "recorded": recorded,
            "closed": closed, "forced": forced, "delivered_recipients": delivered}
