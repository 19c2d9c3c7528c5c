"""`arshjul incident report|list|show|update`: flags, prompts, closing clocks, bad input."""

from __future__ import annotations

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from cli import incidents as incident_cli
from cli.main import app
from models import db
from models.incidents import Incident, IncidentClock
from tests.models.incident_org import DPO, load_example_org

runner = CliRunner()
NOW = "2027-06-25T16:30"
REPORT = [
    "incident",
    "report",
    "--category",
    "personuppgiftsincident",
    "--unit",
    "socialforvaltningen",
    "--aware-at",
    "2027-06-25T16:00",
    "--description",
    "Brev med journaluppgifter skickat till fel mottagare",
    "--now",
    NOW,
]


@pytest.fixture
def org(store):
    load_example_org()
    return store


def run(*args: str):
    return runner.invoke(app, list(args))


def stored() -> tuple[list[Incident], list[IncidentClock]]:
    with db.session() as session:
        return (
            list(session.exec(select(Incident)).all()),
            list(session.exec(select(IncidentClock)).all()),
        )


def test_report_with_flags_opens_the_imy_clock_in_local_time(org):
    result = run(*REPORT)
    assert result.exit_code == 0, result.output
    assert "Incident 1 registrerad (Personuppgiftsincident)" in result.output
    assert (
        "Anmälan till IMY (GDPR art. 33)  2027-06-28 16:00 CEST  om 2 d 23 h 30 min"
        not in result.output
    )  # minutes are dropped once there are hours
    assert "2027-06-28 16:00 CEST  om 2 d 23 h" in result.output
    incidents, clocks = stored()
    assert incidents[0].board_id == "socialnamnden" and incidents[0].personal_data
    assert [c.kind for c in clocks] == ["gdpr"]


@pytest.mark.parametrize(
    "args, problem",
    [
        (["--aware-at", "2027-06-26T09:00"], "fel: aware-at: 2027-06-26 09:00 CEST is in the future"),
        (["--unit", "ingen-sadan"], "fel: unit: unknown unit 'ingen-sadan'"),
        (["--category", ""], "fel: category: missing"),
        (
            ["--category", "it-sakerhet", "--kind", "natfiske"],
            "fel: kind: 'natfiske' is not one of",
        ),
    ],
)
def test_bad_input_is_one_clear_line_exit_2_and_nothing_stored(org, args, problem):
    result = run(*REPORT, *args)
    assert result.exit_code == 2
    assert result.output.startswith(problem)
    assert len(result.output.strip().splitlines()) == 1
    assert stored() == ([], [])


def test_missing_category_without_a_terminal_is_an_error_not_a_prompt(org):
    result = run(
        "incident",
        "report",
        "--unit",
        "socialforvaltningen",
        "--aware-at",
        "2027-06-25T16:00",
        "--now",
        NOW,
    )
    assert result.exit_code == 2
    assert result.output.startswith("fel: category: missing (one of it-sakerhet")


def test_prompts_ask_for_what_the_flags_left_out(org, monkeypatch):
    monkeypatch.setattr(incident_cli, "interactive", lambda: True)
    answers = (
        "fysisk-sakerhet\nutrustning\nchromebook\nbarn-och-ungdomsforvaltningen\n"
        "2027-06-25T09:15\nChromebook glömd på bussen\nn\nn\n"
    )
    result = runner.invoke(app, ["incident", "report", "--now", NOW], input=answers)
    assert result.exit_code == 0, result.output
    assert "Inga lagstadgade tidsfrister" in result.output
    (incident,), clocks = stored()
    assert (incident.category, incident.subkind, incident.equipment) == (
        "fysisk-sakerhet",
        "utrustning",
        "utrustning_chromebook",
    )
    assert incident.board_id == "barn-och-ungdomsnamnden" and clocks == []


def test_reporting_to_imy_closes_the_clock_with_its_reference(org):
    run(*REPORT)
    result = run(
        "incident",
        "update",
        "1",
        "--reported",
        "gdpr",
        "--ref",
        "IMY-2027-123",
        "--at",
        "2027-06-27T10:00",
        "--now",
        "2027-06-27T10:05",
    )
    assert result.exit_code == 0, result.output
    assert "rapporterad  IMY-2027-123 (2027-06-27 10:00 CEST)" in result.output
    _, (clock,) = stored()
    assert (clock.status, clock.reference) == ("reported", "IMY-2027-123")


def test_decision_not_to_report_is_kept_with_its_reason(org):
    run(*REPORT)
    reason = "Mottagaren är anställd med sekretess och har raderat brevet"
    result = run(
        "incident",
        "update",
        "1",
        "--not-reporting",
        "gdpr",
        "--reason",
        reason,
        "--by",
        DPO,
        "--now",
        "2027-06-26T09:00",
    )
    assert result.exit_code == 0, result.output
    shown = run("incident", "show", "1", "--now", "2027-06-30T09:00").output
    assert f"rapporteras ej  {reason}" in shown
    _, (clock,) = stored()
    assert (clock.status, clock.decided_by) == ("not-reporting", DPO)


def test_decision_needs_a_reason_and_the_dpo(org):
    run(*REPORT)
    no_reason = run("incident", "update", "1", "--not-reporting", "gdpr", "--now", NOW)
    assert no_reason.exit_code == 2 and "fel: --reason: say why gdpr" in no_reason.output
    not_dpo = run(
        "incident",
        "update",
        "1",
        "--not-reporting",
        "gdpr",
        "--reason",
        "x",
        "--by",
        "anna-berg",
        "--now",
        NOW,
    )
    assert not_dpo.exit_code == 2 and "is not the dataskyddsombud" in not_dpo.output
    assert stored()[1][0].status == "open"


def test_nis2_clocks_and_the_final_report_counting_from_the_notification(org):
    run(*REPORT, "--nis2-significant")
    run(
        "incident",
        "update",
        "1",
        "--reported",
        "nis2-early-warning",
        "--ref",
        "CERT-1",
        "--at",
        "2027-06-26T10:00",
        "--now",
        "2027-06-26T10:00",
    )
    result = run(
        "incident",
        "update",
        "1",
        "--reported",
        "nis2-notification",
        "--ref",
        "CERT-2",
        "--at",
        "2027-06-27T09:15",
        "--now",
        "2027-06-27T09:20",
    )
    assert result.exit_code == 0, result.output
    assert "Slutrapport (NIS2)" in result.output and "2027-07-27 09:15 CEST" in result.output


def test_a_closed_clock_cannot_be_closed_again(org):
    run(*REPORT)
    run("incident", "update", "1", "--reported", "gdpr", "--ref", "IMY-1", "--now", NOW)
    again = run("incident", "update", "1", "--reported", "gdpr", "--ref", "IMY-2", "--now", NOW)
    assert again.exit_code == 2 and "already closed" in again.output


def test_list_shows_the_next_deadline(org):
    run(*REPORT)
    result = run("incident", "list", "--now", "2027-06-28T12:00")
    assert result.exit_code == 0, result.output
    assert "Anmälan till IMY (GDPR art. 33) 2027-06-28 16:00 CEST (om 4 h)" in result.output


def test_link_prints_the_units_signed_report_link(org):
    from models.links import verify_token
    from models.settings import get_settings

    result = run(
        "incident",
        "link",
        "--unit",
        "socialforvaltningen",
        "--person",
        "mikael-hedlund",
        "--now",
        NOW,
    )
    assert result.exit_code == 0, result.output
    url = result.output.strip()
    assert url.startswith(get_settings().portal_url + "/incident/")
    claims = verify_token(url.rsplit("/", 1)[1], kind="incident-report")
    assert (claims.subject, claims.person_id) == ("socialforvaltningen", "mikael-hedlund")
    unknown = run("incident", "link", "--unit", "nope")
    assert unknown.exit_code == 2 and "unknown unit 'nope'" in unknown.output
