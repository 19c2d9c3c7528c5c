"""`arshjul status` sees an answer submitted through the portal at once (no tick in between)."""

from __future__ import annotations

from typer.testing import CliRunner

from cli.main import app
from models import db
from models.cycle.tables import Assignment
from tests.portal.portal_data import link
from tests.portal.test_portal_answering import post, risk_data

runner = CliRunner()


def _line(output: str, *words: str) -> str:
    (line,) = [row for row in output.splitlines() if all(w in row for w in words)]
    return line


def test_status_shows_the_portal_submission_right_away(client, seeded):
    aid = seeded["riskanalys"]
    with db.session() as s:  # a second unit owes the same step: the step line is 1/2, not 1/1
        step_id = s.get(Assignment, aid).step_instance_id
        s.add(Assignment(step_instance_id=step_id, scope_kind="unit",
                         scope_id="kommunledningskontoret"))
    before = runner.invoke(app, ["status", "--step", "riskanalys"])
    assert before.exit_code == 0, before.output
    assert _line(before.output, "Socialförvaltningen").split()[-1] == "-"

    done = post(client, link(aid), risk_data())
    assert done.status_code == 303

    rows = runner.invoke(app, ["status", "--step", "riskanalys"])
    assert rows.exit_code == 0, rows.output
    assert _line(rows.output, "Socialförvaltningen").split()[-1] == "2027-10-01"
    assert _line(rows.output, "Kommunledningskontoret").split()[-1] == "-"
    steps = runner.invoke(app, ["status"])
    assert steps.exit_code == 0, steps.output
    assert "1/2" in _line(steps.output, "Steg riskanalys").split()
