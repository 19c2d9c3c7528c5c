"""Tasks that leave artifacts in the Prefect UI: ids, dates and counts only, never personal data."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from prefect import task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE

from models import db, organisation
from models.clock import now as clock_now
from models.clock import parse_now
from models.cycle.draw import PHASE_NAMES, draw_wheel, markdown_image, steps_for_year
from models.cycle.status import (
    StepStatus,
    as_dicts,
    state_label,
    step_status,
    years_in_progress,
)
from models.i18n import N_, gettext, translator
from models.settings import DEFAULT_TIMEZONE


def cycles_in_progress(now: str) -> list[int]:
    """The planned years whose cycle is still running at `now` (models.cycle.status)."""
    with db.session() as session:
        return years_in_progress(parse_now(now, "UTC"), session=session)


def cycle_key(year: int) -> str:
    """Artifact key of a cycle's overview (keys allow lowercase letters, digits and dashes)."""
    return f"cycle-{year}"


def cycle_markdown(year: int, rows: list[StepStatus], at: datetime, lang: str = "sv",
                   tz: str = DEFAULT_TIMEZONE) -> str:
    """The year's wheel and progress per step as a markdown table, in `lang`, local time."""
    _ = translator(lang)
    total = sum(r.total for r in rows)
    local = at.astimezone(ZoneInfo(tz))
    when = local.strftime("%Y-%m-%d %H:%M ") + (local.tzname() or "")
    lines = [
        "# " + _("Årshjul {year}", year=year),
        "",
        _("Läge {when}: {steps} steg, {submitted}/{total} uppdrag inlämnade, {overdue} försenade.",
          when=when, steps=len(rows),
          submitted=sum(r.submitted for r in rows), total=total,
          overdue=sum(r.overdue for r in rows)),
        "",
        "| " + " | ".join(_(h) for h in HEADINGS) + " |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {_(PHASE_NAMES[r.phase]) if r.phase in PHASE_NAMES else r.phase} | {r.title} "
            f"| {r.opens} | {r.due} | {state_label(r.state, lang)} | {r.submitted}/{r.total} "
            f"| {r.overdue} |"
        )
    return "\n".join(lines) + "\n"


HEADINGS = (N_("Fas"), N_("Steg"), N_("Öppnar"), N_("Sista dag"), N_("Läge"), N_("Inlämnat"),
            N_("Försenat"))


@task(name="publish_cycle_overview", cache_policy=NO_CACHE)
def publish_cycle_overview(year: int, now: str | None = None) -> dict:
    """Leave the `cycle-<year>` markdown artifact (progress table and the drawn wheel)."""
    at = parse_now(now, "UTC") if now else clock_now()
    with db.session() as session:
        org = organisation.info(session=session)
        rows = step_status(year, at, session=session, info=org)
        today = org.today(at)
        steps = steps_for_year(year, session=session, lang=org.language)
        wheel = draw_wheel(steps, year, today=today, lang=org.language)
    text = cycle_markdown(year, rows, at, org.language, org.timezone)
    create_markdown_artifact(
        markdown=text + "\n" + markdown_image(wheel) + "\n",
        key=cycle_key(year),
        description=gettext("Årshjulet {year}: steg, datum och inlämnat per steg.", org.language,
                            year=year),
    )
    return {
        "steps": len(rows),
        "assignments": sum(r.total for r in rows),
        "submitted": sum(r.submitted for r in rows),
        "overdue": sum(r.overdue for r in rows),
        # per step (titles, dates and counts): the tick's wheel-status table reuses it
        "status": as_dicts(rows),
    }
