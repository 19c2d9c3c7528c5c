"""The command line speaks Swedish by default and English with ARSHJUL_LANGUAGE=en."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from models.roles import BOARD_ROLES, ORG_ROLES, UNIT_ROLES
from models.settings import ROOT
from tests.language import use_language

EXAMPLE = ROOT / "examples" / "alingsas.yaml"
runner = CliRunner()

ROLES = ", ".join(ORG_ROLES + UNIT_ROLES + BOARD_ROLES)
#: one bad line in the example organisation → the problem line, in Swedish and in English
CASES = {
    "email": (
        ("email: anna.berg@example.se", "email: anna.berg.example.se"),
        "fel: org.yaml:66: people[0].email: 'anna.berg.example.se' är ingen e-postadress",
        "fel: org.yaml:66: people[0].email: 'anna.berg.example.se' is not an e-mail address",
    ),
    "role": (
        ("      - dataskyddsombud", "      - dataskyddsombudet"),
        f"fel: org.yaml:73: people[1].roles[0]: okänd roll 'dataskyddsombudet' (en av {ROLES})",
        f"fel: org.yaml:73: people[1].roles[0]: unknown role 'dataskyddsombudet' (one of {ROLES})",
    ),
}
MISSING = {"sv": "fel: nowhere.yaml: filen finns inte", "en": "fel: nowhere.yaml: no such file"}


def arshjul(*args) -> tuple[int, list[str]]:
    result = runner.invoke(app, [str(a) for a in args])
    return result.exit_code, result.output.splitlines()


def _bad_org(tmp_path: Path, case: str = "email") -> Path:
    old, new = CASES[case][0]
    text = EXAMPLE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "org.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("language", [None, "sv", "en"])
def test_bad_org_file_in_the_configured_language(
    sqlite_store, tmp_path, monkeypatch, language, case
):
    use_language(monkeypatch, language)
    _, swedish, english = CASES[case]
    expected = english if language == "en" else swedish  # unset means Swedish
    assert arshjul("org", "import", _bad_org(tmp_path, case)) == (2, [expected])


@pytest.mark.parametrize("language", [None, "sv", "en"])
def test_missing_file_in_the_configured_language(sqlite_store, monkeypatch, language):
    use_language(monkeypatch, language)
    assert arshjul("org", "import", "nowhere.yaml") == (2, [MISSING[language or "sv"]])
    assert arshjul("wheel", "validate", "nowhere.yaml") == (2, [MISSING[language or "sv"]])


@pytest.mark.parametrize("value", ["de", "EN", ""])
def test_an_invalid_language_is_reported_not_a_crash(sqlite_store, tmp_path, monkeypatch, value):
    use_language(monkeypatch, value)
    # Nothing else reads the settings on this path: the problem itself is reported in Swedish.
    assert arshjul("wheel", "validate", "nowhere.yaml") == (2, [MISSING["sv"]])
    # The import reads the settings first: the setting is named as the problem, exit 2.
    code, lines = arshjul("org", "import", _bad_org(tmp_path))
    assert code == 2
    assert len(lines) == 1 and lines[0].startswith("fel: ARSHJUL_LANGUAGE: ska vara en av 'sv'")


def test_other_invalid_settings_are_named_without_their_values(monkeypatch):
    monkeypatch.setenv("ARSHJUL_SEND_HOUR", "99")
    monkeypatch.setenv("ARSHJUL_LINK_DAYS", "hemlig-0")
    use_language(monkeypatch, "en")  # unreadable settings: the language cannot be trusted either
    code, lines = arshjul("org", "import", EXAMPLE)
    assert code == 2
    assert lines == [
        "fel: ARSHJUL_SEND_HOUR: ska vara högst 23",
        "fel: ARSHJUL_LINK_DAYS: ska vara ett heltal",
    ]
