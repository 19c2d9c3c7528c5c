"""Flow `plan`: plan a cycle of the annual wheel and show it in the Prefect UI."""

from __future__ import annotations

from prefect import flow, runtime

from models.clock import now as clock_now
from models.i18n import _
from tasks.artifacts import publish_cycle_overview
from tasks.planning import plan_year
from tasks.run_log import run_logger


def default_year() -> int:
    """The year planned when none is given: the next one (the deployment runs in December)."""
    return clock_now().year + 1


def _run_name() -> str:
    year = runtime.flow_run.parameters.get("year") or default_year()
    return f"plan {year}"


@flow(name="plan", flow_run_name=_run_name)
def plan(year: int | None = None, wheel: str | None = None) -> dict:
    """Plan `year` (default next year) from the wheel and leave the `cycle-<year>` artifact."""
    year = year or default_year()
    counts = plan_year(year, wheel)
    counts["overview"] = publish_cycle_overview(year)
    run_logger().info(_("plan {year}: {steps} steg, {assignments} uppdrag", year=year,
                            steps=counts.get("instances", 0),
                            assignments=counts.get("assignments_total", 0)))
    return counts
