"""The daily tick: record what is due, deliver it in a bounded number of batches, leave
artifacts."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from prefect import flow
from prefect.runtime import flow_run

from models.clock import now as clock_now
from models.clock import parse_now
from models.i18n import _
from models.notify.kinds import REGISTER_REVIEW
from models.settings import get_settings
from models.signing_key import signing_key
from tasks.artifacts import cycles_in_progress, publish_cycle_overview
from tasks.deliver import deliver_messages
from tasks.record import publish_tick_artifacts, record_due_notifications
from tasks.register_reviews import record_review_reminders
from tasks.run_log import run_logger


def tick_label(now_iso: str | None) -> str:
    """`tick 2027-10-01 08:00` in the organisation's local time."""
    at = parse_now(now_iso, "UTC") if now_iso else clock_now()
    return f"tick {at.astimezone(ZoneInfo(get_settings().timezone)):%Y-%m-%d %H:%M}"


def _run_name() -> str:
    return tick_label(flow_run.parameters.get("now"))


@flow(name="tick", flow_run_name=_run_name)
def tick(now: str | None = None, dry_run: bool = False, batch_size: int = 1000,
         max_batches: int = 20) -> dict:
    """Send everything due at `now` (default the clock) exactly once: invitations, reminders,
    escalations and what other areas queued in the ledger."""
    at = (parse_now(now, "UTC") if now else clock_now()).isoformat()
    signing_key()  # an unfit key stops the tick before anything is recorded
    recorded = record_due_notifications(at, dry_run)
    if not dry_run:
        reviews = record_review_reminders(at)["recorded"]
        if reviews:
            recorded.setdefault("new", {})[REGISTER_REVIEW] = reviews
    delivered = {} if dry_run else deliver_messages(at, batch_size, max_batches)
    years = cycles_in_progress(at)
    # in January the last cycle is still open beside the new one; each year's step status is
    # computed once, by its overview, and the tick's wheel-status table reuses the last one
    overviews = [publish_cycle_overview(year, at) for year in years]
    publish_tick_artifacts(tick_label(at), years[-1], at, recorded, delivered,
                           (overviews[-1] or {}).get("status"))
    run_logger().info(_(
        "{label}: {new} nya i kön, {messages} meddelanden, {failed} misslyckade, {remaining} "
        "kvar, {batches} omgångar, cykel {years}", label=tick_label(at),
        new=sum(recorded.get("new", {}).values()), messages=delivered.get("messages", 0),
        failed=delivered.get("failed", 0), remaining=delivered.get("remaining", 0),
        batches=delivered.get("batches", 0), years=", ".join(map(str, years))))
    return {"now": at, "dry_run": dry_run, "recorded": recorded, "delivered": delivered,
            "batches": delivered.get("batches", 0)}
