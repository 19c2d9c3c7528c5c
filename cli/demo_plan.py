"""What the coordinator has on hand when the demo year starts, put in through the commands:
last year's figures (`arshjul figures import`, examples/tidigare-ar.yaml) and the year's action
plan, adopted by the board in December (`arshjul actionplan add … / adopt`), which the units
follow up in November."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

from cli import actionplan as plan_cli
from cli import report as report_cli
from cli.demo_commands import arshjul
from cli.demo_phrases import ACTIVITIES, SIZES

RESPONSIBLE = ("Förvaltningschef", "IT-samordnare", "Verksamhetsutvecklare", "Systemförvaltare",
               "Arkivarie", "Dataskyddssamordnare")
ORGANISATION_WIDE = (("Införa tvåfaktorsinloggning för distansåtkomst", "IT-säkerhetsansvarig"),
                     ("Utökat överbelastningsskydd för kommunens nät", "IT-chef"))


def previous_year(out: Path, year: int) -> None:
    """Import last year's figures (the report compares with them)."""
    from models.settings import ROOT

    text = (ROOT / "examples" / "tidigare-ar.yaml").read_text(encoding="utf-8")
    path = out / "tidigare-ar.yaml"
    path.write_text(text.replace("{prev}", str(year - 1)), encoding="utf-8")
    arshjul(report_cli.figures_import, file=path)


def adopt_plan(year: int, seed: int) -> int:
    """The year's plan: 2–3 activities per unit and two for the whole organisation, adopted by
    the municipal executive board on December 13 the year before. Returns the activities."""
    rng = random.Random(seed * 13 + year)
    count = 0
    for unit in SIZES:
        for title in rng.sample(ACTIVITIES, rng.randint(2, 3)):
            arshjul(plan_cli.add, year=year, title=title, unit=unit,
                    responsible=rng.choice(RESPONSIBLE),
                    due=rng.choice((date(year, 6, 30), date(year, 10, 31),
                                    date(year, 11, 30))).isoformat())
            count += 1
    for title, who in ORGANISATION_WIDE:
        arshjul(plan_cli.add, year=year, title=title, responsible=who,
                due=date(year, 12, 15).isoformat())
        count += 1
    arshjul(plan_cli.adopt, year=year, decision=f"KS {year - 1}-12-13 §220")
    return count


def follow_up_organisation_wide(year: int) -> None:
    """The coordinator sets the status of the organisation's own activities (no unit answers)."""
    from sqlmodel import select

    from models import db
    from models.records.tables import PlanActivity

    with db.session() as session:
        ids = session.exec(select(PlanActivity.id).where(
            PlanActivity.year == year, PlanActivity.unit_id == "")).all()
    for activity, status in zip(sorted(ids), ("paborjad", "genomford"), strict=False):
        arshjul(plan_cli.set_, activity=activity, status=status,
                comment="Pilot klar, utrullning våren" if status == "paborjad" else
                "Infört i juni")
