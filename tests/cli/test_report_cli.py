"""`arshjul report`, `figures import`, `calendar` and `wheel draw` through the CLI."""

from __future__ import annotations

import icalendar
import pytest
from typer.testing import CliRunner

from cli.main import app
from models import db
from models.settings import ROOT
from tests.language import use_language

EXAMPLE = ROOT / "examples" / "alingsas.yaml"
REFERENCE = ROOT / "tests" / "fixtures" / "report" / "alingsas-2022.yaml"
runner = CliRunner()


def arshjul(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def org(sqlite_store):
    assert arshjul("org", "import", EXAMPLE).exit_code == 0
    assert arshjul("plan", "--year", 2027).exit_code == 0
    return sqlite_store


def test_figures_import_then_report_in_three_formats(sqlite_store, tmp_path):
    result = arshjul("figures", "import", REFERENCE)
    assert result.exit_code == 0, result.output
    assert "Importerat 2022: 23 incidentsiffror" in result.output
    md = arshjul("report", "--year", 2022, "--format", "md")
    assert md.exit_code == 0, md.output
    assert "| Phishingattacker | Ca 650 |" in md.output
    for fmt in ("md", "html", "docx"):
        out = tmp_path / f"rapport.{fmt}"
        result = arshjul("report", "--year", 2022, "--format", fmt, "-o", out)
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 1000
    assert (tmp_path / "rapport.docx").read_bytes()[:2] == b"PK"


def test_report_takes_prose_and_language(sqlite_store, tmp_path):
    prose = tmp_path / "text.md"
    prose.write_text("## Summary\nA calm year.\n", encoding="utf-8")
    assert arshjul("org", "import", EXAMPLE).exit_code == 0
    assert arshjul("plan", "--year", 2026).exit_code == 0
    result = arshjul("report", "--year", 2026, "--format", "md", "--text", prose, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "## Summary\n\nA calm year." in result.output
    assert "No collection of IT security incidents was carried out in 2026." in result.output


def test_bad_figures_file_exits_2_and_writes_nothing(sqlite_store, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "years:\n  - year: 2022\n    utrustning: {utrustning_chromebook: -4}\n", encoding="utf-8"
    )
    result = arshjul("figures", "import", bad)
    assert result.exit_code == 2
    assert (
        "fel: bad.yaml:3: years[0].utrustning.utrustning_chromebook: får inte vara negativt"
        in result.output
    )
    md = arshjul("report", "--year", 2022, "--format", "md")  # nothing of 2022 was written
    assert md.exit_code == 2 and md.output.startswith(
        "fel: --year: 2022 är varken planerat eller har importerade siffror")


@pytest.mark.parametrize(
    "args,message",
    [
        (
            ("report", "--year", 2027, "--format", "odt"),
            "fel: --format: 'odt' ska vara en av md, html, docx, pdf",
        ),
        (
            ("report", "--year", 2027, "--format", "pdf", "-o", "r.pdf", "--template", "x.docx"),
            "fel: --template: x.docx finns inte",
        ),
        (
            ("report", "--year", 2027, "--format", "docx"),
            "fel: -o: en DOCX-rapport behöver en utfil (-o rapport.docx)",
        ),
        (("report", "--year", 2027, "--lang", "de"), "fel: --lang: 'de' ska vara sv eller en"),
        (("report", "--year", 2027, "--text", "saknas.md"), "fel: --text: kan inte läsa saknas.md"),
        (("calendar", "-o", "x.ics"), "fel: ange precis en av --person ID, --unit ID och --all"),
        (("calendar", "--all", "--unit", "x", "-o", "x.ics"), "fel: ange precis en av"),
        (
            ("calendar", "--unit", "ingen", "-o", "x.ics"),
            "fel: --unit: okänd förvaltning 'ingen' (se organisationsfilen)",
        ),
        (
            ("calendar", "--person", "ingen", "-o", "x.ics"),
            "fel: --person: okänd person 'ingen' (se organisationsfilen)",
        ),
        (
            ("wheel", "draw", "--year", 2027, "-o", "x.svg", "--lang", "de"),
            "fel: --lang: 'de' ska vara sv eller en",
        ),
    ],
)
def test_bad_options_exit_2(org, args, message):
    result = arshjul(*args)
    assert result.exit_code == 2
    assert message in result.output


def test_bad_options_in_english(org, tmp_path, monkeypatch):
    use_language(monkeypatch, "en")
    result = arshjul("report", "--year", 2027, "--format", "odt", "--lang", "de")
    assert result.exit_code == 2
    assert result.output == (
        "fel: --format: 'odt' is not one of md, html, docx, pdf\n"
        "fel: --lang: 'de' is not one of sv, en\n"
    )
    unit = arshjul("calendar", "--unit", "ingen", "-o", "x.ics")
    assert unit.output == "fel: --unit: unknown unit 'ingen' (see the organisation file)\n"
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "years:\n  - year: 2022\n    utrustning: {utrustning_chromebook: -4}\n", encoding="utf-8"
    )
    figures = arshjul("figures", "import", bad)
    assert figures.output == (
        "fel: bad.yaml:3: years[0].utrustning.utrustning_chromebook: must not be negative\n"
    )


def test_calendar_all_and_unit(org, tmp_path):
    result = arshjul(
        "calendar",
        "--unit",
        "socialforvaltningen",
        "-o",
        tmp_path / "u.ics",
        "--now",
        "2027-01-05T10:00",
    )
    assert result.exit_code == 0, result.output
    cal = icalendar.Calendar.from_ical((tmp_path / "u.ics").read_bytes())
    assert str(cal["X-WR-CALNAME"]) == "Årshjul – Socialförvaltningen"
    result = arshjul("calendar", "--all", "-o", tmp_path / "a.ics", "--year", 2027)
    assert result.exit_code == 0
    assert "21 uppdrag, 21 händelser." in result.output
    result = arshjul("calendar", "--all", "--openings", "-o", tmp_path / "o.ics", "--year", 2027)
    assert result.exit_code == 0, result.output
    opens = icalendar.Calendar.from_ical((tmp_path / "o.ics").read_bytes()).walk("VEVENT")
    assert len(opens) == 21 and all(str(e["SUMMARY"]).startswith("Öppnar: ") for e in opens)


def test_calendar_person_prints_the_subscription_url(org, tmp_path):
    import yaml

    people = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))["people"]
    contact = next(p["id"] for p in people if "kontaktperson@socialforvaltningen" in p["roles"])
    result = arshjul("calendar", "--person", contact, "-o", tmp_path / "p.ics")
    assert result.exit_code == 0, result.output
    assert "Prenumerera: http://127.0.0.1:8000/kalender/" in result.output


def test_wheel_draw_writes_svg_with_months_and_today(org, tmp_path):
    out = tmp_path / "hjul.svg"
    result = arshjul("wheel", "draw", "--year", 2027, "-o", out, "--now", "2027-10-05T10:00")
    assert result.exit_code == 0, result.output
    svg = out.read_text(encoding="utf-8")
    for month in ("januari", "februari", "maj", "december"):
        assert f">{month}</text>" in svg
    assert 'id="today"' in svg and "Idag 2027-10-05" in svg
    # one arc per step instance (incidentstatistik four times), the annual report's January besides
    assert svg.count("<path ") == 22
    english = arshjul("wheel", "draw", "--year", 2027, "-o", out, "--lang", "en")
    assert english.exit_code == 0
    assert ">October</text>" in out.read_text(encoding="utf-8")


def test_wheel_draw_unplanned_year_uses_the_wheel_file(sqlite_store, tmp_path):
    db.migrate()
    out = tmp_path / "hjul.svg"
    result = arshjul("wheel", "draw", "--year", 2030, "-o", out, "--now", "2027-10-05T10:00")
    assert result.exit_code == 0, result.output
    svg = out.read_text(encoding="utf-8")
    assert "Omvärldsanalys" in svg and 'id="today"' not in svg  # today is not in 2030


def test_figures_dry_run_writes_nothing(sqlite_store):
    result = arshjul("figures", "import", REFERENCE, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Torrkörning: skulle ha importerat 2022: 23 incidentsiffror" in result.output
    md = arshjul("report", "--year", 2022, "--format", "md")  # nothing of 2022 was written
    assert md.exit_code == 2 and "2022 är varken planerat" in md.output
