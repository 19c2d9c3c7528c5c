"""`arshjul incident report|list|show|update`: flags, prompts, closing clocks, bad input."""

from __future__ import annotations

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from cli import incidents as incident_cli
from cli.main import app
from models import db
from models.incidents.register import Incident, IncidentClock
from tests.language import use_language
from tests.models.incidents.incident_org import DPO, load_example_org

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
        (
            ["--aware-at", "2027-06-26T09:00"],
            "fel: aware-at: 2027-06-26 09:00 CEST ligger i framtiden "
            "(nu är det 2027-06-25 16:30 CEST)\n",
        ),
        (
            ["--unit", "ingen-sadan"],
            "fel: unit: okänd enhet 'ingen-sadan' (se organisationsfilen)\n",
        ),
        (["--category", ""], "fel: category: måste anges (en av it-sakerhet"),
        (
            ["--category", "it-sakerhet", "--kind", "natfiske"],
            "fel: kind: 'natfiske' ska vara en av ddos_skydd_aktiverat",
        ),
        (
            ["--aware-at", "i går"],
            "fel: --aware-at: 'i går' är ingen tidpunkt enligt ISO 8601 (t.ex. 2027-10-01T08:00)\n",
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
    assert result.output.startswith("fel: category: måste anges (en av it-sakerhet")


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
    assert no_reason.exit_code == 2 and no_reason.output == (
        "fel: --reason: ange varför gdpr inte rapporteras (sparas som underlag)\n"
    )
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
    assert not_dpo.exit_code == 2 and (
        "fel: --by: 'anna-berg' är inte dataskyddsombud; beslutet registreras av "
        "dataskyddsombudet\n" == not_dpo.output
    )
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
    assert again.exit_code == 2
    assert again.output == "fel: clock: gdpr för incident 1 är redan stängd (reported IMY-1)\n"


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
    assert unknown.exit_code == 2
    assert unknown.output == "fel: --unit: okänd enhet 'nope' (se organisationsfilen)\n"


@pytest.mark.parametrize(
    "args, line",
    [
        (
            ["update", "1", "--now", NOW],
            "fel: inget att uppdatera: ange --reported, --not-reporting, --personal-data "
            "eller --nis2-significant",
        ),
        (
            ["update", "1", "--reported", "imy", "--ref", "X", "--now", NOW],
            "fel: clock: okänd klocka 'imy' (en av gdpr, nis2, nis2-early-warning, "
            "nis2-notification, nis2-final-report)",
        ),
        (
            ["update", "1", "--reported", "nis2-notification", "--ref", "X", "--now", NOW],
            "fel: clock: incident 1 har ingen klocka 'nis2-notification'",
        ),
        (
            ["update", "1", "--reported", "gdpr", "--now", NOW],
            "fel: --ref: referensnumret för rapporten (gdpr) saknas",
        ),
        (
            ["update", "1", "--reported", "gdpr", "--ref", "X", "--at", "2027-06-26T10:00",
             "--now", NOW],
            "fel: --at: 2027-06-26 10:00 CEST ligger i framtiden",
        ),
        (
            ["update", "1", "--reported", "gdpr", "--ref", "X", "--at", "2027-06-25T15:00",
             "--now", NOW],
            "fel: --at: 2027-06-25 15:00 CEST är före tidpunkten för kännedom",
        ),
        (
            ["update", "1", "--reported", "gdpr", "--ref", "X", "--by", "ingen", "--now", NOW],
            "fel: --by: okänd person 'ingen'",
        ),
        (["show", "9", "--now", NOW], "fel: incident: ingen incident med id 9 (se `arshjul "
         "incident list`)"),
        (["list", "--format", "xml"], "fel: --format: 'xml' ska vara en av table, json"),
        (["stats", "--year", "2027", "--format", "xml"],
         "fel: --format: 'xml' ska vara en av table, json"),
        (["link", "--unit", "socialforvaltningen", "--person", "ingen"],
         "fel: --person: okänd person 'ingen'"),
    ],
)
def test_bad_updates_and_options_are_one_swedish_line(org, args, line):
    run(*REPORT)
    result = run("incident", *args)
    assert result.exit_code == 2
    assert result.output == line + "\n"
    assert stored()[1][0].status == "open"


def test_arshjul_language_en_gives_the_english_line(org, monkeypatch):
    future = [*REPORT, "--aware-at", "2027-06-26T09:00"]
    swedish = run(*future)
    assert swedish.exit_code == 2
    assert swedish.output == (
        "fel: aware-at: 2027-06-26 09:00 CEST ligger i framtiden "
        "(nu är det 2027-06-25 16:30 CEST)\n"
    )
    use_language(monkeypatch, "en")
    english = run(*future)
    assert english.exit_code == 2
    assert english.output == (
        "fel: aware-at: 2027-06-26 09:00 CEST is in the future (now it is 2027-06-25 16:30 CEST)\n"
    )
    unknown = run("incident", "link", "--unit", "nope")
    assert unknown.output == "fel: --unit: unknown unit 'nope' (see the organisation file)\n"
    assert stored() == ([], [])
