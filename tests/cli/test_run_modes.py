"""Where a command's flow runs, and what starts without Prefect.

Every command runs as a process of its own, as a coordinator types it: Prefect's settings and
services are process-wide, and what a command imports is only visible in a fresh interpreter.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from models.settings import ROOT, get_settings
from tests.cli.test_serve_cli import start_serve, stop_serve
from tests.flows.prefect_live import api, prefect_env
from tests.models.incidents.incident_org import load_example_org

ARSHJUL = str(Path(sys.executable).parent / "arshjul")
SECRET = "run-modes-secret-0123456789abcdef"
NOT_IN_UI = "körningen syns inte i Prefect UI"
INCIDENT = ["incident", "report", "--category", "personuppgiftsincident", "--unit",
            "socialforvaltningen", "--aware-at", "2027-06-25T15:30", "--description",
            "Journalkopia skickad till fel mottagare", "--now", "2027-06-25T16:00"]

#: Runs the CLI in this interpreter, then says which Prefect modules it imported.
PROBE = """
import json, sys
from cli.main import main
sys.argv = ["arshjul", *json.loads(sys.argv[1])]
code = 0
try:
    main()
except SystemExit as exc:
    code = exc.code or 0
def loaded(package):
    return sorted(m for m in sys.modules if m.split(".")[0] == package)
heavy = {p: loaded(p) for p in ("sqlalchemy", "sqlmodel", "pydantic", "rich")}
print("PROBE " + json.dumps({"code": code, "prefect": loaded("prefect"), "heavy": heavy}))
"""


def no_server_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """This test's ARSHJUL_* settings, no Prefect address anywhere (not even in a profile)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(PREFECT_HOME=str(tmp_path / "prefect-home"), ARSHJUL_SECRET_KEY=SECRET, **extra)
    env.update({k: v for k, v in os.environ.items() if k.startswith("ARSHJUL_")})
    return env


def arshjul(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([ARSHJUL, *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=600, stdin=subprocess.DEVNULL)


def example_org(smtp_sink, monkeypatch):
    """The example organisation with 2027 planned, delivering to a real SMTP server."""
    from models import db
    from models.cycle.planning import plan_cycle

    monkeypatch.setenv("ARSHJUL_SECRET_KEY", SECRET)
    get_settings.cache_clear()
    load_example_org()
    with db.session() as session:
        plan_cycle(2027, session=session)
    return smtp_sink


@pytest.fixture
def org(sqlite_store, smtp_sink, monkeypatch):  # noqa: ARG001 - the store is configured by it
    """The example organisation on SQLite."""
    return example_org(smtp_sink, monkeypatch)


@pytest.fixture
def any_org(store, smtp_sink, monkeypatch):  # noqa: ARG001 - the store is configured by it
    """The example organisation on SQLite and on PostgreSQL."""
    return example_org(smtp_sink, monkeypatch)


def test_store_only_commands_never_import_prefect(org, tmp_path):
    env = no_server_env(tmp_path)
    commands = [["--help"], ["status", "--year", "2027"], ["wheel", "show", "--year", "2027"],
                ["org", "import", str(ROOT / "examples" / "alingsas.yaml")], INCIDENT]
    for command in commands:
        result = subprocess.run([sys.executable, "-c", PROBE, json.dumps(command)], cwd=ROOT,
                                env=env, capture_output=True, text=True, timeout=300,
                                stdin=subprocess.DEVNULL)
        probe = json.loads(result.stdout.rsplit("PROBE ", 1)[1])
        assert (probe["code"], probe["prefect"]) == (0, []), (command, result.stdout, result.stderr)
        if command == ["--help"]:  # the help reads no store and renders without rich
            assert probe["heavy"] == {p: [] for p in probe["heavy"]}, probe["heavy"]


def _spin(stop, deadline: float) -> None:
    while not stop.is_set() and time.monotonic() < deadline:
        pass


@pytest.fixture
def saturated_cpu():
    """One busy loop per core until the test ends (at most a minute each)."""
    stop = multiprocessing.Event()
    deadline = time.monotonic() + 60
    spinners = [multiprocessing.Process(target=_spin, args=(stop, deadline), daemon=True)
                for _ in range(os.cpu_count() or 1)]
    for spinner in spinners:
        spinner.start()
    yield
    stop.set()
    for spinner in spinners:
        spinner.join(10)


@pytest.mark.slow
def test_tick_and_the_clock_watch_succeed_on_a_saturated_cpu_without_prefect(
        any_org, tmp_path, saturated_cpu):
    org = any_org
    env = no_server_env(tmp_path)
    registered = arshjul(env, *INCIDENT)
    assert registered.returncode == 0, registered.stdout + registered.stderr
    assert "`arshjul incident watch`" in registered.stdout
    watch = arshjul(env, "incident", "watch", "--now", "2027-06-25T16:00")
    assert watch.returncode == 0, watch.stdout + watch.stderr
    assert NOT_IN_UI in watch.stderr
    to_dpo = [m for m in org.messages if "erik.lind@example.se" in m["To"]]
    assert len(to_dpo) == 1 and "IMY" in to_dpo[0].get_body(("plain",)).get_content()
    tick = arshjul(env, "tick", "--now", "2027-09-01T08:00")
    assert tick.returncode == 0, tick.stdout + tick.stderr
    assert NOT_IN_UI in tick.stderr and "Traceback" not in tick.stderr
    assert "skickat invitation:" in tick.stdout
    assert len(org.messages) > len(to_dpo)


def flow_runs(api_url: str, name: str) -> list[dict]:
    body = {"flow_runs": {"name": {"any_": [name]}}}
    return api(api_url, "POST", "/flow_runs/filter", json=body).json()


def cancel_waiting(api_url: str, name: str) -> None:
    """Cancel runs still waiting for a worker, so no later `serve` of this process takes them."""
    for run in flow_runs(api_url, name):
        if run["state_type"] in ("SCHEDULED", "PENDING"):
            api(api_url, "POST", f"/flow_runs/{run['id']}/set_state",
                json={"state": {"type": "CANCELLED"}, "force": True})


@pytest.mark.slow
def test_tick_runs_in_the_prefect_of_a_running_serve(org, tmp_path, prefect_server):  # noqa: F811
    # Times no other test ticks at: the server is shared by the whole test process.
    served = prefect_env(prefect_server.api_url, **no_server_env(tmp_path))
    process, _ = start_serve(tmp_path, served, "--no-portal")
    try:
        tick = arshjul(no_server_env(tmp_path), "tick", "--now", "2027-09-07T08:17")
        verbose = arshjul(no_server_env(tmp_path), "--verbose", "tick", "--now",
                          "2027-09-07T09:17")
        registered = arshjul(no_server_env(tmp_path), *INCIDENT)
    finally:
        stop_serve(process, signal.SIGINT)
        cancel_waiting(prefect_server.api_url, "incident 1 registrerad")
    assert tick.returncode == 0, tick.stdout + tick.stderr
    assert f"`arshjul serve`:s Prefect ({prefect_server.api_url})" in tick.stderr
    (run,) = flow_runs(prefect_server.api_url, "tick 2027-09-07 08:17")
    assert run["state_type"] == "COMPLETED"
    assert "skickat invitation:" in tick.stdout
    # Prefect's own log lines only with --verbose
    assert "Finished in state" not in tick.stdout + tick.stderr
    assert verbose.returncode == 0 and "Finished in state Completed" in verbose.stderr
    # a registered incident asks serve's Prefect for the clock watch too
    assert "bevakningen av tidsfristerna är beställd i Prefect" in registered.stdout
    after = arshjul(no_server_env(tmp_path), "tick", "--now", "2027-09-08T08:17")
    assert after.returncode == 0 and NOT_IN_UI in after.stderr  # serve stopped: its file is gone
    assert flow_runs(prefect_server.api_url, "tick 2027-09-08 08:17") == []


def test_an_unreachable_prefect_server_is_one_line(org, tmp_path):
    from cli.prefect_server import free_port

    env = no_server_env(tmp_path, PREFECT_API_URL=f"http://127.0.0.1:{free_port()}/api")
    result = arshjul(env, "tick", "--now", "2027-09-01T08:00")
    assert result.returncode == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith("fel: Prefect-servern http://127.0.0.1:") and "svarar inte" in line
    assert "ta bort PREFECT_API_URL" in line
    assert org.messages == []


@pytest.mark.parametrize("command", [["status", "--year", "2027"], ["tick"],
                                     ["incident", "watch"], ["plan", "--year", "2027"]])
def test_an_unreachable_store_is_one_line(tmp_path, command):
    from cli.prefect_server import free_port

    url = f"postgresql+psycopg://arshjul:hemligt@127.0.0.1:{free_port()}/arshjul"
    env = no_server_env(tmp_path)
    env["ARSHJUL_DATABASE_URL"] = url
    result = arshjul(env, *command)
    assert result.returncode == 1, result.stdout + result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith("fel: lagret postgresql+psycopg://arshjul:***@127.0.0.1:")
    assert "går inte att nå" in line and "hemligt" not in line


def test_a_store_without_tables_says_to_run_init(tmp_path):
    env = no_server_env(tmp_path)
    env["ARSHJUL_DATABASE_URL"] = f"sqlite:///{tmp_path / 'tom.db'}"
    result = arshjul(env, "status", "--year", "2027")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"fel: lagret sqlite:///{tmp_path / 'tom.db'} saknar tabeller: kör `arshjul init` först"]


def test_tick_shows_progress_on_a_terminal(org, tmp_path):
    import pty

    leader, follower = pty.openpty()
    with subprocess.Popen([ARSHJUL, "tick", "--now", "2027-09-01T08:00"], cwd=ROOT,
                          env=no_server_env(tmp_path, COLUMNS="120"), stdout=subprocess.PIPE,
                          stderr=follower, stdin=subprocess.DEVNULL) as process:
        os.close(follower)
        shown = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the terminal closed with the process
                break
            if not chunk:
                break
            shown += chunk
        out = process.stdout.read().decode()
    os.close(leader)
    assert process.returncode == 0
    assert "Tick: registrerar det som förfallit" in shown.decode(errors="replace")
    assert "skickat invitation:" in out  # the summary stays on stdout, without the display
