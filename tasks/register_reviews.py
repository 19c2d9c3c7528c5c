"""Review reminders of the registers into the ledger: a task around models/records/reminders.py."""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

from models import db
from models.clock import parse_now
from models.records.reminders import record_reminders
from tasks.deliver import retry_store_errors


@task(name="record_review_reminders", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=2,
      retry_condition_fn=retry_store_errors)
def record_review_reminders(now: str) -> dict:
    """Write the reminders due before register rows' review dates into the ledger (idempotent)."""
    with db.session() as session:
        return record_reminders(parse_now(now, "UTC"), session=session)
