"""Tasks that leave artifacts in the Prefect UI: ids, dates and counts only, never personal data."""

from __future__ import annotations

from datetime import datetime

from prefect import task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE

from models import db
from models.clock import now as clock_now
from models.clock import parse_now
from models.cycle.draw import draw_wheel, markdown_image, steps_for_year
from models.cycle.status import StepStatus, local_today, state_label, step_status

_PHASES = {
    "identifiera": "Identifiera",
    "utforma": "Utforma",
    "anvanda": "Använda",
    "folja-upp": "Följa upp",
}


def cycle_key(year: int) -> str:
    """Artifact key of a cycle's overview (keys allow lowercase letters, digits and dashes)."""
    return f"cycle-{year}"


def cycle_markdown(year: int, rows: list[StepStatus], at: datetime) -> str:
    """The year's wheel and progress per step as a markdown table."""
    total = sum(r.total for r in rows)
    submitted = sum(r.submitted for r in rows)
    overdue = sum(r.overdue for r in rows)
    lines = [
        f"# Årshjul {year}",
        "",
        f"Läge {at:%Y-%m-%d %H:%M} UTC: {len(rows)} steg, {submitted}/{total} uppdrag inlämnade, "
        f"{overdue} försenade.",
        "",
        "| Fas | Steg | Typ | Öppnar | Sista dag | Läge | Inlämnat | Försenat |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {_PHASES.get(r.phase, r.phase)} | {r.key} | {r.kind} | {r.opens} | {r.due} "
            f"| {state_label(r.state)} | {r.submitted}/{r.total} | {r.overdue} |"
        )
    return "\n".join(lines) + "\n"


@task(name="publish_cycle_overview", cache_policy=NO_CACHE)
def publish_cycle_overview(year: int, now: str | None = None) -> dict:
    """Leave the `cycle-<year>` markdown artifact (progress table and the drawn wheel)."""
    at = parse_now(now, "UTC") if now else clock_now()
    with db.session() as session:
        rows = step_status(year, at, session=session)
        today = local_today(at, session=session)
        wheel = draw_wheel(steps_for_year(year, session=session), year, today=today)
    create_markdown_artifact(
        markdown=cycle_markdown(year, rows, at) + "\n" + markdown_image(wheel) + "\n",
        key=cycle_key(year),
        description=f"Årshjulet {year}: steg, datum och inlämnat per steg.",
    )
    return {
        "steps": len(rows),
        "assignments": sum(r.total for r in rows),
        "submitted": sum(r.submitted for r in rows),
        "overdue": sum(r.overdue for r in rows),
    }
