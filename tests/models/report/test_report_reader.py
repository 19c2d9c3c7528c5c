"""What a reader of the report notices: no "not collected" note next to figures that are there,
carried-over activities that say whose they are, and the training rule said in words."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlmodel import delete, select

from models import db
from models.cycle.tables import StepInstance
from models.records.tables import PlanActivity
from models.report.build import build_report
from models.report.figures import MaturityFigure
from models.report.figures_import import import_figures
from models.report.render import render
from tests.models.report.report_year_data import YEAR, build_year

NOTE = f"Någon insamling av Infosäkkollen-resultat för {YEAR - 1}"


def _markdown(**kwargs) -> str:
    with db.session() as s:
        report = build_report(YEAR, session=s, today=date(YEAR, 12, 10), **kwargs)
    return render(report, "md").decode()


def _lines_under(md: str, heading: str) -> list[str]:
    part = md.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    return [ln for ln in part.splitlines() if ln.strip()]


def test_last_years_levels_imported_mean_no_missing_note(store, tmp_path):
    build_year(tmp_path)
    md = _markdown()
    assert f"| Område | {YEAR - 1} | {YEAR} | Mål |" in md
    assert NOTE not in md


def test_last_years_overall_level_alone_is_not_missing_either(store, tmp_path):
    build_year(tmp_path)
    with db.session() as s:
        s.exec(delete(MaturityFigure).where(MaturityFigure.year == YEAR - 1))
        s.commit()
    assert NOTE in _markdown()  # really missing: the reader is told
    only_overall = tmp_path / "overall.yaml"
    only_overall.write_text(f"years:\n  - year: {YEAR - 1}\n    infosakkollen:\n"
                            "      - {area: Samlad nivå, level: 1}\n", encoding="utf-8")
    with db.session() as s:
        import_figures(only_overall, session=s)
    md = _markdown()
    assert NOTE not in md
    assert f"ett av fem ({YEAR - 1})" in md


def test_carried_over_activities_name_their_unit(store, tmp_path):
    build_year(tmp_path)
    now = datetime(YEAR, 1, 10, tzinfo=UTC)
    with db.session() as s:
        for unit, title, status in (
                ("socialforvaltningen", "Uppdatera behandlingsregistret", "paborjad"),
                ("kommunledningskontoret", "Uppdatera behandlingsregistret", "ej-paborjad"),
                ("kommunledningskontoret", "Införa rutin för loggkontroll", "genomford"),
                ("", "Säkerhetskrav i upphandlingsmallen", "paborjad")):
            s.add(PlanActivity(year=YEAR, unit_id=unit, title=title, status=status,
                               created_at=now))
        s.commit()
    md = _markdown()
    carried = md.split("års handlingsplan:\n\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert carried[0] == "- Hela organisationen: Säkerhetskrav i upphandlingsmallen"
    assert {"- Kommunledningskontoret: Uppdatera behandlingsregistret",
            "- Socialförvaltningen: Uppdatera behandlingsregistret"} <= set(carried)
    assert len(set(carried)) == len(carried)  # each line tells which unit it is
    assert not any("Införa rutin för loggkontroll" in line for line in carried)  # done


def test_training_says_when_a_unit_counts_as_done(store, tmp_path):
    build_year(tmp_path)  # units at 3 of 5 and 4 of 5
    lines = _lines_under(_markdown(), "Utbildning")
    assert ("I årshjulet räknas en förvaltning som klar med utbildningen när samtliga dess "
            "medarbetare har genomfört utbildningen; 0 av 2 nådde dit.") in lines
    with db.session() as s:
        step = s.exec(select(StepInstance).where(StepInstance.year == YEAR,
                                                 StepInstance.kind == "campaign")).first()
        step.options = {**(step.options or {}), "complete_share": 0.8}
        s.add(step)
        s.commit()
    lines = _lines_under(_markdown(), "Utbildning")
    assert ("I årshjulet räknas en förvaltning som klar med utbildningen när minst 80 % av dess "
            "medarbetare har genomfört utbildningen; 1 av 2 nådde dit.") in lines
