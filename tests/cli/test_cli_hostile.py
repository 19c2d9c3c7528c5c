"""Issue #15 items 13 and 14 on the command line: what used to end in a traceback, or in a rough
message, is one `fel:` line saying what and where, with exit code 2 and nothing written."""

from __future__ import annotations

import socket

import pytest
from typer.testing import CliRunner

from cli.main import app
from models.settings import get_settings
from tests.cli.test_incident_cli import REPORT, stored
from tests.models.incidents.incident_org import load_example_org
from tests.portal.portal_data import seed

runner = CliRunner()


def one_fel_line(result, code: int = 2) -> str:
    assert result.exit_code == code, result.output
    lines = result.output.splitlines()
    assert len(lines) == 1 and lines[0].startswith("fel: "), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return lines[0]


@pytest.mark.parametrize("command", [["status"], ["tick"]])
def test_now_in_year_one_is_out_of_range(sqlite_store, command):
    line = one_fel_line(runner.invoke(app, [*command, "--now", "0001-01-01T00:00"]))
    assert line == "fel: --now: '0001-01-01T00:00' ligger utanför 1970–2999"


def test_a_leap_day_in_a_common_year_says_why(sqlite_store):
    line = one_fel_line(runner.invoke(app, ["tick", "--now", "2027-02-29T08:00"]))
    assert line == ("fel: --now: '2027-02-29T08:00': 2027 är inget skottår, "
                    "så 29 februari finns inte det året")


@pytest.mark.parametrize("aware", ["0001-01-01T00:00", "1900-01-01T00:00"])
def test_incident_awareness_before_1970_is_refused(store, aware):
    load_example_org()
    args = list(REPORT)
    args[args.index("--aware-at") + 1] = aware
    line = one_fel_line(runner.invoke(app, args))
    assert line == f"fel: --aware-at: '{aware}' ligger utanför 1970–2999"
    assert stored() == ([], [])


def test_a_link_lifetime_of_thousands_of_years_is_a_setting_error(sqlite_store, monkeypatch):
    load_example_org()
    monkeypatch.setenv("ARSHJUL_LINK_DAYS", "3000000")
    get_settings.cache_clear()
    line = one_fel_line(runner.invoke(app, ["incident", "link", "--unit", "socialforvaltningen"]))
    assert line == "fel: ARSHJUL_LINK_DAYS: ska vara högst 3660"


def test_a_home_under_a_regular_file_is_a_setting_error(tmp_path, monkeypatch):
    blocker = tmp_path / "fil"
    blocker.write_text("inte en katalog")
    monkeypatch.setenv("ARSHJUL_HOME", str(blocker / "arshjul"))
    get_settings.cache_clear()
    line = one_fel_line(runner.invoke(app, ["status"]))
    assert line == f"fel: ARSHJUL_HOME: {blocker} är en fil, inte en katalog"


def test_an_unwritable_export_file_is_one_line_and_nothing_written(store, tmp_path):
    seed()
    blocker = tmp_path / "fil"
    blocker.write_text("x")
    target = blocker / "x.xlsx"
    result = runner.invoke(app, ["responses", "export", "--step", "riskanalys", "--format",
                                 "xlsx", "-o", str(target)])
    line = one_fel_line(result)
    assert line.startswith(f"fel: -o: kan inte skriva {target}: ")
    assert blocker.read_text() == "x"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_postgresql_down_is_one_line_naming_the_store_without_its_password(monkeypatch):
    # Exit code 1, not 2: the command line's guard (cli/failures.py, #14) counts an unreachable
    # store as an operational failure rather than bad input.
    url = f"postgresql+psycopg://arshjul:hemligt@127.0.0.1:{_closed_port()}/arshjul"
    monkeypatch.setenv("ARSHJUL_DATABASE_URL", url)
    get_settings.cache_clear()
    line = one_fel_line(runner.invoke(app, ["status"]), code=1)
    assert line.startswith("fel: lagret postgresql+psycopg://arshjul:***@")
    assert "går inte att nå" in line and "hemligt" not in line
