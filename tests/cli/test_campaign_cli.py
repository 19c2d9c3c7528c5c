"""`arshjul campaign …` end to end with a CSV directory: start, dry run, sync, status, IT list."""

from __future__ import annotations

import json

import pytest
import typer
from sqlmodel import select
from typer.testing import CliRunner

from cli import campaigns
from models import db
from models.campaigns.tables import Campaign
from models.notify import ledger
from tests.language import use_language
from tests.models.campaigns.campaign_data import seed_organisation

runner = CliRunner()


@pytest.fixture
def app():
    app = typer.Typer()
    campaigns.register(app)
    return app


@pytest.fixture
def csv_directory(store, tmp_path, monkeypatch):
    with db.session() as s:
        seed_organisation(s)
    rows = ["id,name,email,department,enabled,elected,last_password_change"]
    for i in range(30):
        dept = ["Socialförvaltningen", "Kultur- och fritid", "Okänd"][i % 3]
        rows.append(f"e{i},Person {i:02d},p{i}@example.se,{dept},ja,nej,2026-01-01T10:00:00Z")
    rows.append("pol,Politiker,pol@example.se,Förtroendevalda,ja,ja,")
    path = tmp_path / "personal.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    monkeypatch.setenv("ARSHJUL_DIRECTORY", "csv")
    monkeypatch.setenv("ARSHJUL_DIRECTORY_CSV", str(path))
    from models.settings import get_settings

    get_settings.cache_clear()
    return path


def invoke(app, *args):
    return runner.invoke(app, ["campaign", *args])


def test_bad_input_exits_2_and_writes_nothing(app, csv_directory):
    result = invoke(app, "start", "password-reset", "--deadline", "2026-10-14",
                    "--population", "unit:socialforvaltningen,nope", "--now", "2026-10-05T10:00")
    assert result.exit_code == 2
    assert result.output == "fel: --population: okänd enhet 'nope'\n"
    result = invoke(app, "start", "password-reset", "--deadline", "14/10",
                    "--now", "2026-10-05T10:00")
    assert result.exit_code == 2
    assert result.output == "fel: --deadline: '14/10' är inget datum (ÅÅÅÅ-MM-DD)\n"
    result = invoke(app, "start", "password-reset", "--deadline", "2026-10-01",
                    "--now", "2026-10-05T10:00")
    assert result.exit_code == 2
    assert result.output == "fel: --deadline 2026-10-01 är före dagens datum (2026-10-05)\n"
    result = invoke(app, "force-change", "1", "--dry-run")
    assert result.exit_code == 2
    assert result.output == "fel: tvingat lösenordsbyte behöver ARSHJUL_DIRECTORY=graph\n"
    with db.session() as s:
        assert s.exec(select(Campaign)).all() == []


def test_arshjul_language_en_gives_the_english_line(app, csv_directory, monkeypatch):
    args = ("start", "password-reset", "--deadline", "2026-10-14",
            "--population", "unit:nope", "--now", "2026-10-05T10:00")
    assert invoke(app, *args).output == "fel: --population: okänd enhet 'nope'\n"
    use_language(monkeypatch, "en")
    result = invoke(app, *args)
    assert result.exit_code == 2
    assert result.output == "fel: --population: unknown unit 'nope'\n"


def test_a_missing_directory_file_is_a_clear_error(app, csv_directory):
    csv_directory.unlink()
    result = invoke(app, "sync", "--no-deliver", "--now", "2026-10-05T09:00")
    assert result.exit_code == 2
    assert result.output == f"fel: {csv_directory}: filen finns inte\n"


def test_drive_from_start_to_it_list(app, csv_directory):
    assert invoke(app, "sync", "--no-deliver", "--now", "2026-10-05T09:00").exit_code == 0
    dry = invoke(app, "start", "password-reset", "--deadline", "2026-10-14", "--dry-run",
                 "--population", "unit:socialforvaltningen,kulturforvaltningen",
                 "--now", "2026-10-05T10:00")
    assert dry.exit_code == 0, dry.output
    assert "Torrkörning: skulle starta lösenordsbyte för 20 konton" in dry.output
    with db.session() as s:
        assert s.exec(select(Campaign)).all() == []
    started = invoke(app, "start", "password-reset", "--deadline", "2026-10-14",
                     "--include-elected", "--url", "https://konto.example.se/byt",
                     "--now", "2026-10-05T10:00")
    assert "Startade kampanj 1: lösenordsbyte för 31 konton" in started.output
    # ten people change password on the 7th
    text = csv_directory.read_text().replace("2026-01-01T10:00:00Z", "2026-10-07T12:00:00Z", 10)
    csv_directory.write_text(text)
    for day in ("2026-10-06T09:00", "2026-10-08T09:00", "2026-10-15T09:00"):
        result = invoke(app, "sync", "--no-deliver", "--now", day)
        assert result.exit_code == 0, result.output
    assert "Avslutad: kampanj 1, 21 inte klara." in result.output
    with db.session() as s:
        reminder = s.exec(select(ledger.Notification).where(
            ledger.Notification.kind == "campaign-reminder")).first()
        assert reminder.payload["url"] == "https://konto.example.se/byt"
    status = json.loads(invoke(app, "status", "1", "--format", "json").output)
    assert status[-1] == {"enhet": "TOTALT", "personer": 31, "klara": 10, "kvar": 21,
                          "procent": 32}
    listing = invoke(app, "status").output
    assert "avslutad" in listing and "password-reset" in listing
    it = invoke(app, "it-list", "1").output.splitlines()
    assert it[0] == "id,namn,e-post,enhet,tvingat" and len(it) == 22
    assert "e0," not in "\n".join(it) and "pol,Politiker,pol@example.se" in "\n".join(it)
