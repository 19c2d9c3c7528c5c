"""Record the incident clock alerts due at `now` in the notification ledger (one side effect)."""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

from models import db
from models.clock import parse_now
from models.incidents.alerts import record_alerts


def record_incident_alerts_now(now: str) -> dict:
    """Plain function behind the task: ledger rows for due alerts; counts and the next wake-up."""
    with db.session() as session:
        return record_alerts(parse_now(now, "UTC"), session=session)


@task(name="record_incident_alerts", cache_policy=NO_CACHE)
def record_incident_alerts(now: str) -> dict:
    """Record the incident clock alerts due at `now` in the ledger (each once)."""
    return record_incident_alerts_now(now)
