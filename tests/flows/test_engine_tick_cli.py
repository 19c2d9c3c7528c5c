"""`arshjul tick` end to end: summary lines, --dry-run, bad --now (under the session's Prefect)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from cli.main import app
from tests.engine_data import seed


@pytest.mark.slow
def test_tick_prints_a_summary_by_kind(sqlite_store, prefect_harness, smtp_sink):
    seed()
    runner = CliRunner()
    dry = runner.invoke(app, ["tick", "--now", "2027-09-01T08:00", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Torrkörning" in dry.output and "ny invitation:" in dry.output
    assert smtp_sink.messages == []
    result = runner.invoke(app, ["tick", "--now", "2027-09-01T08:00"])
    assert result.exit_code == 0, result.output
    assert "skickat invitation:" in result.output
    assert f"Meddelanden (sammanställningar): {len(smtp_sink.messages)};" in result.output
    assert "misslyckade: 0" in result.output
    again = runner.invoke(app, ["tick", "--now", "2027-09-01T08:00"])
    assert "Meddelanden (sammanställningar): 0;" in again.output


def test_bad_now_is_one_line_and_exit_2(sqlite_store):
    result = CliRunner().invoke(app, ["tick", "--now", "första oktober"])
    assert result.exit_code == 2
    assert result.output == (
        "fel: --now: 'första oktober' är ingen tidpunkt enligt ISO 8601 (t.ex. 2027-10-01T08:00)\n"
    )


def test_tick_has_help():
    result = CliRunner().invoke(app, ["tick", "--help"])
    assert result.exit_code == 0 and "--dry-run" in result.output and "--now" in result.output
