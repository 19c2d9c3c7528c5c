"""The plan and report flows against a real Prefect server; the pieces of the demo and of
prefect.yaml that need no server."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from prefect.settings import PREFECT_API_URL, temporary_settings
from typer.testing import CliRunner

from cli.demo_contacts import sample_values, temperament
from cli.deployments import read_specs
from cli.main import app
from models import db
from models.cycle.answers import check, raw_from_values
from models.cycle.forms import get_form
from models.cycle.planning import plan_cycle
from models.org_import import import_org
from models.settings import ROOT
from tasks.artifacts import cycle_markdown
from tests.flows.prefect_live import api, run_artifacts

FORMS = sorted(p.stem for p in (ROOT / "wheel" / "forms").glob("*.yaml"))


def test_prefect_yaml_names_an_existing_flow_and_a_local_schedule_for_every_deployment():
    specs = read_specs()
    assert {s.name for s in specs} == {"daily", "next-cycle", "annual", "sync", "watch"}
    for spec in specs:
        assert spec.exists(), spec.entrypoint
        assert spec.load_flow().name
        assert [s["timezone"] for s in spec.schedules] == ["Europe/Stockholm"]
    daily = next(s for s in specs if s.name == "daily")
    assert daily.schedules[0]["cron"] == "0 8 * * 1-5"


@pytest.mark.parametrize("form_id", FORMS)
def test_simulated_answers_pass_the_portals_own_check(form_id):
    form = get_form(form_id)
    raw = raw_from_values(form, sample_values(form, date(2027, 3, 1)))
    assert check(form, raw, final=True).errors == {}


def test_temperaments_are_seeded_and_mixed():
    drawn = [temperament(2027, aid) for aid in range(1, 201)]
    assert drawn == [temperament(2027, aid) for aid in range(1, 201)]
    assert {"prompt", "late", "silent"} == set(drawn)
    assert drawn.count("prompt") > drawn.count("late") > 0


def test_demo_refuses_a_directory_that_is_not_an_earlier_demo(tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    result = CliRunner().invoke(app, ["demo", "--out", str(tmp_path / "mine")])
    assert result.exit_code == 2
    assert "är inte tom och inte en tidigare demo: välj en annan katalog" in result.output
    assert (tmp_path / "mine" / "notes.txt").read_text() == "keep me"


def test_demo_rejects_a_bad_until_date(tmp_path):
    result = CliRunner().invoke(app, ["demo", "--out", str(tmp_path / "d"), "--until", "31/12"])
    assert result.exit_code == 2
    assert "fel: --until: '31/12' är inget datum (ÅÅÅÅ-MM-DD)" in result.output
    assert not (tmp_path / "d").exists()


@pytest.mark.slow
def test_plan_flow_plans_the_year_and_leaves_the_cycle_overview(prefect_server, sqlite_store):  # noqa: F811
    with db.session() as session:
        import_org(ROOT / "examples" / "alingsas.yaml", session=session)
    from flows.plan import plan

    with temporary_settings(updates={PREFECT_API_URL: prefect_server.api_url}):
        state = plan(year=2027, return_state=True)
    counts = state.result()
    assert counts["instances"] == 21 and counts["assignments_total"] == 147
    run = api(prefect_server.api_url, "GET", f"/flow_runs/{state.state_details.flow_run_id}").json()
    assert run["name"] == "plan 2027"
    (overview,) = [a for a in run_artifacts(prefect_server.api_url, run["id"])
                   if a["key"] == "cycle-2027"]
    row = "| Identifiera och analysera | Riskanalys | 2027-09-01 | 2027-11-15 |"
    assert row in overview["data"]
    assert "0/147 uppdrag inlämnade" in overview["data"]


def test_cycle_markdown_counts_per_step():
    from models.cycle.status import StepStatus

    rows = [StepStatus("riskanalys", "Riskanalys", "identifiera", "questionnaire",
                       date(2027, 9, 1), date(2027, 11, 15), "past-due", 10, 7, 3)]
    text = cycle_markdown(2027, rows, datetime(2027, 11, 20, 7, tzinfo=UTC))
    assert "7/10 uppdrag inlämnade, 3 försenade" in text
    assert ("| Identifiera och analysera | Riskanalys | 2027-09-01 | 2027-11-15 | passerad "
            "| 7/10 | 3 |") in text
    assert "Läge 2027-11-20 08:00 CET:" in text  # local time, not UTC
    english = cycle_markdown(2027, rows, datetime(2027, 11, 20, 7, tzinfo=UTC), "en")
    assert "| Identify and analyse | Riskanalys | 2027-09-01 | 2027-11-15 | past due |" in english


@pytest.mark.slow
def test_report_flow_writes_the_report_files(prefect_server, sqlite_store, tmp_path):  # noqa: F811
    with db.session() as session:
        import_org(ROOT / "examples" / "alingsas.yaml", session=session)
        plan_cycle(2027, session=session)  # a year never planned is refused
    from flows.report import report

    with temporary_settings(updates={PREFECT_API_URL: prefect_server.api_url}):
        result = report(year=2027, formats=["md", "html"], directory=str(tmp_path / "r"))
    assert [f["file"] for f in result["files"]] == ["arsrapport-2027.md", "arsrapport-2027.html"]
    assert Path(tmp_path / "r" / "arsrapport-2027.html").stat().st_size > 1000
