"""Task that plans a cycle in the store (one side effect: the cycle's rows)."""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

from models import db
from models.cycle.planning import plan_cycle


@task(name="plan_cycle", cache_policy=NO_CACHE)
def plan_year(year: int, wheel: str | None = None) -> dict:
    """Create or update the cycle of `year` from the wheel; returns counts only."""
    with db.session() as session:
        result = plan_cycle(year, session=session, wheel_path=wheel)
    return {
        "year": result.year,
        "steps": result.steps,
        "instances": result.instances,
        "assignments_total": result.assignments_total,
        "assignments_created": result.assignments_created,
        "assignments_retired": result.assignments_retired,
        "retired_steps": len(result.retired_steps),
    }
