"""`arshjul demo` as a test: a shorter year through real Prefect flow runs and the real portal,
then the Prefect database is searched for every person's name and e-mail address."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from sqlalchemy import create_engine, text

from cli.prefect_server import free_port
from models.settings import ROOT
from tests.flows.prefect_scan import scan

ARSHJUL = str(Path(sys.executable).parent / "arshjul")
UNTIL = "2027-06-30"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """Run the demo once for this module; returns (output, demo directory)."""
    out = tmp_path_factory.mktemp("demo") / "arshjul-demo"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARSHJUL_", "PREFECT_"))}
    command = [ARSHJUL, "demo", "--out", str(out), "--year", "2027", "--until", UNTIL,
               "--portal-port", str(free_port()), "--prefect-port", str(free_port())]
    result = subprocess.run(command, cwd=out.parent, env=env, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout, out


def store(out: Path):
    return create_engine(f"sqlite:///{out / '.arshjul' / 'arshjul.db'}")


@pytest.mark.slow
def test_the_demo_year_prints_progress_and_where_everything_is(demo):
    output, out = demo
    assert "Planerat 2027: 21 steg, 147 uppdrag" in output
    for month in ("2027-01", "2027-03", "2027-06"):
        assert f"  {month}:" in output
    summary = re.search(r"Klart på \d+ s: (\d+) tick, (\d+) meddelanden", output)
    ticks, messages = map(int, summary.groups())
    assert len(list((out / ".arshjul" / "outbox").glob("*.eml"))) == messages > 0
    assert f"Statustabellen:    {out / 'status.txt'}" in output
    assert "kontinuitetsplanering" in (out / "status.txt").read_text()
    assert (out / "rapport" / "arsrapport-2027.html").exists()
    assert f"cd {out} && arshjul serve" in output
    assert ticks > 10


@pytest.mark.slow
def test_contacts_answer_on_time_late_and_never_so_escalations_happen(demo):
    output, out = demo
    prompt, late, never = map(int, re.search(
        r"(\d+) svar i tid, (\d+) sena, (\d+) obesvarade", output).groups())
    assert prompt > 0 and late > 0 and never > 0
    with store(out).connect() as conn:
        sent = dict(conn.execute(text(
            "select kind, count(*) from notification where state = 'sent' group by kind")).all())
        late_answers = conn.execute(text(
            "select count(*) from assignment a join stepinstance s on s.id = a.step_instance_id "
            "where date(a.submitted_at) > s.due")).scalar()
    assert {"invitation", "reminder", "escalation", "receipt"} <= set(sent)
    assert late_answers > 0


@pytest.mark.slow
def test_every_plan_and_tick_is_a_completed_prefect_flow_run(demo):
    output, out = demo
    ticks = int(re.search(r"Klart på \d+ s: (\d+) tick", output).group(1))
    with sqlite3.connect(out / ".arshjul" / "prefect" / "prefect.db") as conn:
        runs = conn.execute("select name, state_type from flow_run").fetchall()
        keys = {k for (k,) in conn.execute("select key from artifact")}
    names = [name for name, _ in runs]
    assert {state for _, state in runs} == {"COMPLETED"}
    assert "plan 2027" in names and "report 2027" in names
    assert sum(name.startswith("tick 2027-") for name in names) == ticks
    assert {"cycle-2027", "tick-summary", "wheel-status-2027", "report-2027"} <= keys


@pytest.mark.slow
def test_the_prefect_database_holds_no_name_or_email_of_anyone(demo):
    _, out = demo
    people = yaml.safe_load((ROOT / "examples" / "alingsas.yaml").read_text())["people"]
    needles = {p["name"].lower() for p in people} | {p["email"].lower() for p in people}
    found = scan(out / ".arshjul" / "prefect" / "prefect.db", needles)
    assert found == {}, found
    # The same scan over the store finds everyone: the search itself works.
    in_store = set().union(*scan(out / ".arshjul" / "arshjul.db", needles, tables=False).values())
    assert in_store == needles

