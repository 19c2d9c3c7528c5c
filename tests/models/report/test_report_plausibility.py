"""What the coordinator checks before the board: implausible numbers, copied risk assets, answers
that contradict the incident register; only in the coordinator's copy; an unplanned year refused."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlmodel import select
from typer.testing import CliRunner

from cli.main import app
from models import db
from models.cycle.responses import submit
from models.cycle.tables import Assignment, StepInstance
from models.report.build import build_report
from models.report.plausibility import coordinator_copy
from models.report.render import render
from tests.models.report.report_year_data import YEAR, build_year

runner = CliRunner()


def _report():
    with db.session() as s:
        return build_report(YEAR, session=s, today=date(YEAR, 12, 20))


def _answer_statistics(unit: str, values: dict) -> None:
    with db.session() as s:
        step, assignment = s.exec(
            select(StepInstance, Assignment)
            .join(Assignment, Assignment.step_instance_id == StepInstance.id)
            .where(StepInstance.year == YEAR, StepInstance.step_id == "incidentstatistik",
                   Assignment.scope_id == unit)
            .order_by(StepInstance.seq)).first()
        submit(assignment, "incidentstatistik", values, "p", session=s,
               now=datetime(YEAR, 12, 1, 9, tzinfo=UTC))


def test_copied_assets_implausible_counts_and_register_contradictions(sqlite_store, tmp_path):
    build_year(tmp_path)  # every unit analysed "System 0", "System 1" (and "System 2")
    _answer_statistics("socialforvaltningen", {"personuppgiftsincidenter": 0})
    _answer_statistics("kommunledningskontoret", {"natfiske_forsok": 15500031})
    findings = _report().to_check
    assert any("”System 0” i 9 förvaltningars riskanalyser" in f for f in findings)
    assert any(f.startswith("Kommunledningskontoret: 15500031 för ”") and
               "– mer än 1000, det rimliga för en organisation med" in f for f in findings)
    assert ("Socialförvaltningen: 0 personuppgiftsincidenter i incidentstatistiken, men 1 i "
            "incidentregistret") in findings
    assert len(findings) == 5


def test_only_the_coordinators_copy_lists_them(sqlite_store, tmp_path):
    build_year(tmp_path)
    report = _report()
    assert report.to_check
    board = render(report, "html").decode("utf-8")
    coordinator = render(coordinator_copy(report), "html").decode("utf-8")
    assert "Att kontrollera" not in board and "System 0" not in board.split("Riskarbete")[0]
    assert "Att kontrollera före styrelsen (samordnarens exemplar)" in coordinator
    assert coordinator.index("Att kontrollera") < coordinator.index("Sammanfattning")


def test_report_says_how_many_and_exits_0(sqlite_store, tmp_path):
    build_year(tmp_path)
    result = runner.invoke(app, ["report", "--year", str(YEAR), "--format", "md", "-o",
                                 str(tmp_path / "r.md"), "--now", f"{YEAR}-12-20T10:00"])
    assert result.exit_code == 0, result.output
    assert "3 uppgifter att kontrollera före styrelsen (se --to-check)." in result.output
    assert "Att kontrollera" not in (tmp_path / "r.md").read_text(encoding="utf-8")
    result = runner.invoke(app, ["report", "--year", str(YEAR), "--format", "md", "--to-check",
                                 "-o", str(tmp_path / "s.md")])
    assert "## Att kontrollera" in (tmp_path / "s.md").read_text(encoding="utf-8")


def test_a_year_never_planned_is_refused(sqlite_store, tmp_path):
    build_year(tmp_path)
    result = runner.invoke(app, ["report", "--year", "2031", "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 2
    assert result.output.startswith("fel: --year: 2031 är varken planerat eller har importerade "
                                    "siffror")
    assert not (tmp_path / "r.html").exists()
