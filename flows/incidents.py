"""The incident clock watch: every 15 minutes, at any hour of any day, alert about legal clocks."""

from __future__ import annotations

from prefect import flow

from models.clock import now as clock_now
from models.clock import parse_now
from tasks.deliver import deliver_messages
from tasks.incident_alerts import record_incident_alerts


@flow(name="incident-clock-watch")
def incident_clock_watch(
    now: str | None = None, batch_size: int = 500, max_batches: int = 20
) -> dict:
    """Record the incident alerts due at `now` and deliver the ledger, exactly once each."""
    at = (parse_now(now, "UTC") if now else clock_now()).isoformat()
    recorded = record_incident_alerts(at)
    delivered = deliver_messages(at, batch_size, max_batches)
    return {"now": at, "recorded": recorded, "delivered": delivered}
