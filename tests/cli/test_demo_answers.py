"""The demo's simulated answers look like a real year: realistic counts, distinct risk assets,
the same year again with the same seed, and a report with nothing for the coordinator to check."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from sqlmodel import select

from cli.demo_answers import Context, realistic_values
from cli.demo_context import answer_context
from models import db
from models.cycle.answers import check, raw_from_values
from models.cycle.forms import get_form
from models.cycle.planning import plan_cycle
from models.cycle.responses import submit
from models.cycle.tables import Assignment, StepInstance
from models.org_import import import_org
from models.report.build import build_report
from models.settings import ROOT

EXAMPLE = ROOT / "examples" / "alingsas.yaml"


def _answer_everything(seed: int) -> None:
    db.migrate()
    with db.session() as s:
        import_org(EXAMPLE, session=s)
        plan_cycle(2027, session=s)
        pairs = s.exec(select(StepInstance, Assignment)
                       .join(Assignment, Assignment.step_instance_id == StepInstance.id)
                       .where(StepInstance.form.is_not(None))).all()
        for step, a in pairs:
            form = get_form(step.form)
            values = realistic_values(form, step.due, random.Random(seed * 7_919 + a.id),
                                      answer_context(a.id, session=s))
            at = datetime.combine(step.due - timedelta(days=2), datetime.min.time(), tzinfo=UTC)
            submit(a, step.form, values, "demo", session=s, now=at)


def test_answers_are_valid_realistic_and_seeded():
    for name in ("incidentstatistik", "riskanalys", "infosakkollen", "handlingsplan-status",
                 "dpo-efterlevnadskontroll", "kvittens"):
        form = get_form(name)
        values = realistic_values(form, date(2027, 11, 1), random.Random(7))
        assert not check(form, raw_from_values(form, values)).errors, name
        assert values == realistic_values(form, date(2027, 11, 1), random.Random(7))
    form = get_form("incidentstatistik")
    school, housing = ([realistic_values(form, date(2027, 3, 31), random.Random(n),
                                         Context(unit=unit)) for n in range(40)]
                       for unit in ("barn-och-ungdomsforvaltningen", "alingsashem"))
    # a school loses Chromebooks, the housing company none; nobody has intrusions by the dozen
    assert sum(a["utrustning_chromebook"] for a in school) > 40
    assert sum(a["utrustning_chromebook"] for a in housing) == 0
    assert sum(a["natfiske_forsok"] for a in school) > sum(a["natfiske_forsok"] for a in housing)
    assert all(a["intrang"] == 0 and a["natfiske_forsok"] < 200 for a in school + housing)
    # a breach in the register is counted in the unit's statistics of that quarter
    with_breach = realistic_values(form, date(2027, 3, 31), random.Random(1), Context(
        unit="alingsashem", breaches=2))
    assert with_breach["personuppgiftsincidenter"] >= 2
    risks = realistic_values(get_form("riskanalys"), date(2027, 11, 15), random.Random(3))["risker"]
    assets = [r["tillgang"] for r in risks]
    assert len(set(assets)) == len(assets) >= 3 and "Simulerat" not in " ".join(assets)


def test_a_realistic_year_has_nothing_to_check(sqlite_store):
    _answer_everything(seed=2027)
    with db.session() as s:
        report = build_report(2027, session=s, today=date(2027, 12, 20))
    assert report.to_check == []
    risk = next(sec for sec in report.sections if sec.id == "riskarbete")
    analyses = next(sub for sub in risk.subsections if sub.id == "riskanalyser")
    quota = next(i for i in analyses.items if i.kind == "table")
    assert {row[-1] for row in quota.rows} == {"Ja"}  # every unit analysed 3+ distinct assets
