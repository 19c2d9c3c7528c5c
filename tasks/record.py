"""Ledger recording and the tick's artifacts: tasks around models/notify/plan.py."""

from __future__ import annotations

from prefect import task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from sqlmodel import select

from models import db
from models.clock import parse_now
from models.cycle.status import step_status
from models.cycle.tables import StepInstance
from models.notify.plan import record_due
from tasks.deliver import retry_store_errors


@task(name="record_due_notifications", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=2,
      retry_condition_fn=retry_store_errors)
def record_due_notifications(now: str, dry_run: bool = False) -> dict:
    """Write every item due at `now` into the ledger (idempotent); returns counts by kind."""
    with db.session() as session:
        return record_due(parse_now(now, "UTC"), session=session, dry_run=dry_run)


def wheel_rows(year: int, now: str) -> list[dict]:
    """Per step instance of `year`: window, submitted/total, overdue (ids and counts only)."""
    with db.session() as session:
        rows = step_status(year, parse_now(now, "UTC"), session=session)
    return [
        {"step": r.key, "opens": r.opens.isoformat(), "due": r.due.isoformat(), "state": r.state,
         "submitted": f"{r.submitted}/{r.total}", "overdue": r.overdue}
        for r in rows
    ]


def tick_markdown(label: str, recorded: dict, delivered: dict, step_keys: dict[int, str]) -> str:
    """What a tick did, by kind and by step: ids and counts only."""
    lines = [f"# {label}", "", "| kind | new in ledger | delivered items |", "|---|---|---|"]
    sent = {k[5:] for k in delivered if k.startswith("sent:")}
    for kind in sorted(set(recorded.get("new", {})) | sent):
        lines.append(f"| {kind} | {recorded.get('new', {}).get(kind, 0)} "
                     f"| {delivered.get('sent:' + kind, 0)} |")
    per_step = sorted((step_keys.get(int(k.split(":")[1]), k.split(":")[1]), k.split(":")[2], n)
                      for k, n in delivered.items() if k.startswith("step:"))
    if per_step:
        lines += ["", "| step | kind | delivered items |", "|---|---|---|"]
        lines += [f"| {step} | {kind} | {n} |" for step, kind, n in per_step]
    lines += ["", f"Digests sent: {delivered.get('messages', 0)}; failed items: "
              f"{delivered.get('failed', 0)}; given up (dead): {delivered.get('dead', 0)}; "
              f"superseded: {delivered.get('superseded', 0)}; cancelled as moot: "
              f"{recorded.get('cancelled', 0) + delivered.get('cancelled', 0)}; not attempted: "
              f"{delivered.get('not_attempted', 0)}; possibly delivered, sent once more later: "
              f"{delivered.get('uncertain', 0)}; recipients left "
              f"for the next tick: {delivered.get('remaining', 0)}; dead in the ledger: "
              f"{recorded.get('dead_total', 0)}."]
    return "\n".join(lines)


def _step_keys(delivered: dict) -> dict[int, str]:
    ids = {int(k.split(":")[1]) for k in delivered if k.startswith("step:")}
    if not ids:
        return {}
    with db.session() as session:
        query = select(StepInstance.id, StepInstance.key).where(StepInstance.id.in_(ids))
        return dict(session.execute(query).all())


@task(name="publish_tick_artifacts", cache_policy=NO_CACHE)
def publish_tick_artifacts(label: str, year: int, now: str, recorded: dict, delivered: dict):
    """Leave the tick summary and the wheel-status-<year> table in the Prefect UI."""
    markdown = tick_markdown(label, recorded, delivered, _step_keys(delivered))
    create_markdown_artifact(key="tick-summary", markdown=markdown, description=label)
    create_table_artifact(key=f"wheel-status-{year}", table=wheel_rows(year, now),
                          description=f"Årshjulet {year}: status per steg")
