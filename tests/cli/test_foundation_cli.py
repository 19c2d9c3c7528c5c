"""The foundation commands through the CLI, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from cli.main import app
from models import db
from models.cycle.tables import Assignment, StepInstance
from models.org import Board, Organisation, Person, PersonRole, Unit
from models.settings import ROOT

EXAMPLE = ROOT / "examples" / "alingsas.yaml"
runner = CliRunner()


def arshjul(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def snapshot() -> dict:
    """Everything the org import and plan write, to prove a failed command wrote nothing."""
    with db.session() as s:
        return {
            "people": sorted((p.id, p.name, p.email, p.active) for p in s.exec(select(Person))),
            "roles": sorted((r.person_id, r.role, r.scope_id) for r in s.exec(select(PersonRole))),
            "units": sorted((u.id, u.board_id, u.active) for u in s.exec(select(Unit))),
            "boards": sorted((b.id, b.name, b.active) for b in s.exec(select(Board))),
            "organisation": [(o.name, o.language) for o in s.exec(select(Organisation))],
        }


@pytest.fixture
def org(store):
    result = arshjul("org", "import", EXAMPLE)
    assert result.exit_code == 0, result.output
    return store


def test_import_reports_counts_and_stores_people_and_roles(org):
    state = snapshot()
    assert len(state["people"]) == 30
    assert ("anna-berg", "informationssakerhetssamordnare", "") in state["roles"]
    assert any(r[1] == "dataskyddskontakt" and r[2] == "socialnamnden" for r in state["roles"])


def test_dry_run_writes_nothing(store):
    result = arshjul("org", "import", EXAMPLE, "--dry-run")
    assert result.exit_code == 0
    assert "Torrkörning" in result.output
    assert snapshot() == {"people": [], "roles": [], "units": [], "boards": [], "organisation": []}


def _edit(tmp_path: Path, old: str, new: str) -> Path:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "org.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


BAD_INPUTS = [
    ("email: anna.berg@example.se", "email: anna.berg.example.se",
     "org.yaml:66: people[0].email: 'anna.berg.example.se' är ingen e-postadress"),
    ("email: erik.lind@example.se", "email: Anna.Berg@example.se",
     "people[1].email: e-postadressen 'Anna.Berg@example.se' används redan av people[0]"),
    ("id: erik-lind", "id: anna-berg", "org.yaml:69: people[1].id: id 'anna-berg' finns redan"),
    ("      - dataskyddsombud", "      - dataskyddsombudet",
     "org.yaml:73: people[1].roles[0]: okänd roll 'dataskyddsombudet'"),
    ("      - kontaktperson@socialforvaltningen", "      - kontaktperson@socialforvaltning",
     "org.yaml:124: people[11].roles[0]: okänd förvaltning 'socialforvaltning'"),
    ("    board: socialnamnden", "    board: socialnamden",
     "units[4].board: okänd nämnd 'socialnamden'"),
    ("      - dataskyddskontakt@socialnamnden", "      - dataskyddskontakt",
     "rollen 'dataskyddskontakt' behöver en nämnd: dataskyddskontakt@BOARD"),
    ("  - id: kommunstyrelsen\n", "  - id: Kommunstyrelsen!\n",
     "boards[1].id: får bara innehålla a–z, 0–9 och bindestreck"
     " (inga versaler, mellanslag eller å/ä/ö)"),
    ("  name: Alingsås kommun", "  name: [Alingsås",
     "org.yaml:5: (syntax): felaktig YAML: expected ',' or ']'"),
]


@pytest.mark.parametrize("old, new, message", BAD_INPUTS)
def test_bad_org_file_names_the_problem_exits_2_and_changes_nothing(org, tmp_path, old, new, message):
    before = snapshot()
    result = arshjul("org", "import", _edit(tmp_path, old, new))
    assert result.exit_code == 2
    assert message in result.output
    assert result.output.startswith("fel: org.yaml:")
    assert snapshot() == before


def test_missing_file_is_a_clear_error(store):
    result = arshjul("org", "import", "nowhere.yaml")
    assert result.exit_code == 2
    assert result.output == "fel: nowhere.yaml: filen finns inte\n"


def test_reimport_deactivates_a_removed_person_and_keeps_their_history(org, tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8")
    start = text.index("  - id: erik-lind")
    end = text.index("  - id:", start + 5)
    path = tmp_path / "org.yaml"
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    result = arshjul("org", "import", path)
    assert result.exit_code == 0, result.output
    assert "0 nya, 0 ändrade, 1 avaktiverade" in result.output
    with db.session() as s:
        erik = s.get(Person, "erik-lind")
        assert erik is not None and not erik.active and erik.deactivated_at is not None


def _add_unit(tmp_path: Path) -> Path:
    text = EXAMPLE.read_text(encoding="utf-8")
    text = text.replace(
        "people:\n",
        "  - id: miljoforbundet\n    name: Miljöförbundet\n    kind: forbund\n"
        "    board: samhallsbyggnadsnamnden\npeople:\n", 1)
    start = text.index("  - id: erik-lind")
    end = text.index("  - id:", start + 5)
    path = tmp_path / "org.yaml"
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    return path


def _remove_unit(path: Path, unit_id: str) -> None:
    """Drop a unit and every role held for it from an organisation file."""
    text = path.read_text(encoding="utf-8")
    start = text.index(f"  - id: {unit_id}\n")
    end = text.index("  - id:", start + 5)
    text = text[:start] + text[end:]
    text = "\n".join(line for line in text.splitlines()
                     if not line.endswith(f"@{unit_id}") and not line.endswith(f": {unit_id}"))
    text = re.sub(r"    roles:\n(?!      - )", "    roles: []\n", text + "\n")
    path.write_text(text, encoding="utf-8")


def _answer(step_key: str, scope_id: str) -> int:
    from models.clock import now
    from models.cycle.responses import save_draft, submit

    with db.session() as s:
        step = s.exec(select(StepInstance).where(StepInstance.key == step_key)).one()
        row = s.exec(select(Assignment).where(
            Assignment.step_instance_id == step.id, Assignment.scope_id == scope_id)).one()
        values = {"genomfort": True, "datum": "2027-04-20", "kommentar": "Klart."}
        submit(row, step.form, values, "kalle-ek", session=s, now=now())
        save_draft(row.id, step.form, {"kommentar": "Utkast efter inlämning"}, "kalle-ek",
                   session=s, now=now())
        return row.id


def test_replan_after_org_change_adds_assignments_and_keeps_answers(org, tmp_path):
    from models.cycle.responses import get_draft, latest_version

    assert arshjul("plan", "--year", "2027").exit_code == 0
    answered = _answer("kontinuitetsplanering", "socialforvaltningen")
    gone = _answer("kontinuitetsplanering", "alingsas-energi")
    path = _add_unit(tmp_path)  # adds miljoforbundet, removes the person erik-lind
    _remove_unit(path, "alingsas-energi")
    assert arshjul("org", "import", path).exit_code == 0
    result = arshjul("plan", "--year", "2027")
    assert result.exit_code == 0, result.output
    assert "(12 nya, 12 avslutade)" in result.output  # 8 yearly unit steps + 4 quarters each
    with db.session() as s:
        step = s.exec(select(StepInstance).where(StepInstance.key == "kontinuitetsplanering")).one()
        rows = {a.scope_id: a for a in s.exec(
            select(Assignment).where(Assignment.step_instance_id == step.id))}
        assert rows["miljoforbundet"].retired_at is None
        assert rows["alingsas-energi"].retired_at is not None  # retired, not deleted
        for assignment_id in (answered, gone):
            version = latest_version(assignment_id, session=s)
            assert version.values["kommentar"] == "Klart." and version.submitted_by == "kalle-ek"
            assert get_draft(assignment_id, session=s).raw["kommentar"] == "Utkast efter inlämning"
        assert rows["socialforvaltningen"].submitted_by == "kalle-ek"
        assert s.get(Person, "erik-lind").active is False


def test_plan_is_idempotent(org):
    first = arshjul("plan", "--year", "2027")
    second = arshjul("plan", "--year", "2027")
    assert "147 uppdrag (147 nya" in first.output
    assert "147 uppdrag (0 nya, 0 avslutade)" in second.output


def test_plan_without_organisation_says_what_to_do(store):
    result = arshjul("plan", "--year", "2027")
    assert result.exit_code == 2
    assert result.output == (
        "fel: ingen organisation i lagret: kör `arshjul org import FILE` först\n"
    )


def test_status_counts_submitted_and_overdue(org):
    arshjul("plan", "--year", "2027")
    with db.session() as s:
        step = s.exec(select(StepInstance).where(StepInstance.key == "kontinuitetsplanering")).one()
        first = s.exec(select(Assignment).where(Assignment.step_instance_id == step.id)).first()
        from models.clock import now
        first.submitted_at = now()
        s.add(first)
    result = arshjul("status", "--year", "2027", "--now", "2027-05-10T09:00", "--format", "json")
    rows = {r["key"]: r for r in json.loads(result.output)}
    assert (rows["kontinuitetsplanering"]["submitted"], rows["kontinuitetsplanering"]["total"],
            rows["kontinuitetsplanering"]["overdue"]) == (1, 10, 9)
    assert rows["riskanalys"]["state"] == "upcoming" and rows["riskanalys"]["overdue"] == 0
    table = arshjul("status", "--year", "2027", "--now", "2027-05-10T09:00")
    assert "kontinuitetsplanering" in table.output and "1/10" in table.output
    per = arshjul("status", "--year", "2027", "--step", "incidentstatistik", "--format", "csv",
                  "--now", "2027-05-10T09:00")
    lines = per.output.strip().splitlines()
    assert lines[0].startswith("step,assignment_id,scope_kind")
    assert len(lines) == 1 + 4 * 10


def test_status_without_year_shows_the_cycle_in_progress_and_says_which(org):
    assert "inget är planerat" in arshjul("status", "--now", "2027-05-10T09:00").output
    arshjul("plan", "--year", "2027")
    arshjul("plan", "--year", "2028")

    def first_line(now: str) -> str:
        result = arshjul("status", "--now", now)
        assert result.exit_code == 0, result.output
        return result.output.splitlines()[0]

    # January 2028: the 2027 cycle (its annual report, the boards' decisions) is still open
    # beside the new one: 2027 is shown, and the line says 2028 has begun.
    january = first_line("2028-01-20T09:00")
    assert january.startswith("Årshjul 2027: cykeln pågår (2027-01-11 – 2028-03-31).")
    assert "Även 2028 har börjat (--year 2028)." in january
    assert first_line("2027-05-10T09:00").startswith("Årshjul 2027: cykeln pågår")
    assert first_line("2028-05-10T09:00").startswith("Årshjul 2028: cykeln pågår")
    assert first_line("2029-06-01T09:00").startswith("Årshjul 2028: den senaste cykeln, avslutad")
    assert first_line("2026-12-05T09:00").startswith("Årshjul 2027: ingen cykel pågår ännu")
    # The rows are that year's: in January 2028 the 2027 report step is open, not 2028's.
    table = arshjul("status", "--now", "2028-01-20T09:00").output
    assert "arsrapport" in table and "2028-01-31" in table
    # json stays parseable: the line goes to stderr
    rows = json.loads(arshjul("status", "--now", "2028-05-10T09:00", "--format", "json").stdout)
    assert {r["opens"][:4] for r in rows} >= {"2028"}
    # --year as given: no line about the choice
    assert not arshjul("status", "--year", "2028", "--now", "2028-01-20T09:00").output.startswith(
        "Årshjul")


def test_status_rejects_unknown_format_and_step(org):
    arshjul("plan", "--year", "2027")
    bad = arshjul("status", "--format", "xml")
    assert bad.exit_code == 2 and "--format: 'xml' ska vara en av table, json, csv" in bad.output
    missing = arshjul("status", "--year", "2027", "--step", "nope")
    assert missing.exit_code == 2
    assert "--step: inget steg 'nope' är planerat för 2027" in missing.output


def test_wheel_validate_and_show(tmp_path):
    ok = arshjul("wheel", "validate", ROOT / "wheel" / "default.yaml")
    assert ok.exit_code == 0 and "18 steg, inga fel" in ok.output
    shown = json.loads(arshjul("wheel", "show", "--year", "2027", "--format", "json").output)
    mids = {r["step"]: r for r in shown}
    assert mids["kontinuitetsovning"]["due"] == "2027-06-30"
    assert mids["incidentstatistik-q4"]["opens"] == "2028-01-03"
    bad = tmp_path / "w.yaml"
    shutil.copy(ROOT / "wheel" / "default.yaml", bad)
    bad.write_text(bad.read_text().replace('due: "02-28"', 'due: "02-31"', 1))
    result = arshjul("wheel", "validate", bad)
    assert result.exit_code == 2
    assert "w.yaml:16: steps[0].due: '02-31' är inget giltigt datum" in result.output


def test_status_lists_messages_that_could_not_be_delivered(org):
    from datetime import UTC, datetime

    from models.notify import ledger

    arshjul("plan", "--year", "2027")
    with db.session() as s:
        s.add(ledger.Notification(
            kind="reminder", subject="assignment:1", occasion="due:-3", recipient_id="erik-lind",
            state=ledger.DEAD, attempts=5, last_error="550 mailbox unavailable",
            created_at=datetime(2027, 5, 1, tzinfo=UTC)))
    result = arshjul("status", "--year", "2027", "--now", "2027-05-10T09:00")
    assert "inte gått att leverera efter sista försöket: 1" in result.output
    assert "erik-lind" in result.output and "550 mailbox unavailable" in result.output


def test_department_map_is_stored_and_checked(org, tmp_path):
    from models.org import Organisation

    with db.session() as s:
        departments = s.get(Organisation, 1).department_map
    assert departments["Socialförvaltningen"] == "socialforvaltningen"
    assert departments["Förtroendevalda"] == {"unit": "kommunledningskontoret", "elected": True}
    bad = _edit(tmp_path, "Förtroendevalda: {unit: kommunledningskontoret",
                "Förtroendevalda: {unit: kommunkontoret")
    result = arshjul("org", "import", bad)
    assert result.exit_code == 2
    assert "departments.Förtroendevalda: okänd förvaltning 'kommunkontoret'" in result.output
