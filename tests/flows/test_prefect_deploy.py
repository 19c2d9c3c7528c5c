"""prefect.yaml end to end: deploy to a real Prefect server, a process worker runs the tick.

The Prefect UI then shows the run: headless Chromium renders the runs page (screenshot under
test-artifacts/) and the run's name is in the rendered page.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from models.settings import ROOT
from tests.flows.cdp import screenshot_when
from tests.flows.prefect_live import (
    create_run,
    deployment,
    deployments,
    prefect_cli,
    run_artifacts,
    start_worker,
    stop,
    wait_for_run,
)

ARSHJUL = str(Path(sys.executable).parent / "arshjul")
ARTIFACTS = ROOT / "test-artifacts"
NOW = "2027-09-01T08:00:00+02:00"


def arshjul(home: Path, *args: str) -> str:
    result = subprocess.run([ARSHJUL, *args], env=_env(home), capture_output=True, text=True,
                            cwd=home.parent, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _env(home: Path) -> dict[str, str]:
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARSHJUL_", "PREFECT_"))}
    return env | {"ARSHJUL_HOME": str(home), "ARSHJUL_SECRET_KEY": "s" * 40}


@pytest.fixture(scope="module")
def tick_run(prefect_server, tmp_path_factory):  # noqa: F811
    """Deploy --all, start a worker, run `tick/daily` once at NOW; yields (api URL, run, home)."""
    home = tmp_path_factory.mktemp("deployed") / ".arshjul"
    arshjul(home, "org", "import", str(ROOT / "examples" / "alingsas.yaml"))
    arshjul(home, "plan", "--year", "2027")
    api_url = prefect_server.api_url
    prefect_cli(api_url, "work-pool", "create", "arshjul", "--type", "process", "--overwrite")
    prefect_cli(api_url, "deploy", "--all")
    worker = start_worker(api_url, home.parent / "worker.log", home.parent,
                          ARSHJUL_HOME=str(home), ARSHJUL_SECRET_KEY="s" * 40)
    try:
        daily = deployment(api_url, "tick", "daily")
        run = wait_for_run(api_url, create_run(api_url, daily["id"], {"now": NOW})["id"])
    finally:
        stop(worker)
    yield api_url, run, home


@pytest.mark.slow
def test_prefect_yaml_deploys_every_clock_driven_flow_to_the_arshjul_pool(tick_run):
    api_url, _, _ = tick_run
    found = {(d["name"], d["work_pool_name"]) for d in deployments(api_url)}
    assert {("daily", "arshjul"), ("next-cycle", "arshjul"), ("annual", "arshjul"),
            ("sync", "arshjul"), ("watch", "arshjul")} <= found
    daily = deployment(api_url, "tick", "daily")
    assert daily["pull_steps"] == [{"prefect.deployments.steps.set_working_directory": {
        "directory": "{{ $ARSHJUL_CODE_DIR }}"}}]
    assert [(s["schedule"]["cron"], s["schedule"]["timezone"]) for s in daily["schedules"]] == [
        ("0 8 * * 1-5", "Europe/Stockholm")]


@pytest.mark.slow
def test_a_process_worker_runs_the_tick_deployment_with_its_artifacts(tick_run):
    api_url, run, home = tick_run
    assert run["state_type"] == "COMPLETED", run["state"]
    assert run["name"] == "tick 2027-09-01 08:00"
    keys = {a["key"] for a in run_artifacts(api_url, run["id"])}
    assert {"tick-summary", "wheel-status-2027", "cycle-2027"} <= keys
    assert list((home / "outbox").glob("*.eml")), "the tick delivered nothing to the outbox"


@pytest.mark.slow
def test_the_prefect_ui_runs_page_shows_the_tick_run(tick_run):
    api_url, run, _ = tick_run
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "prefect-ui-runs.png"
    shot.unlink(missing_ok=True)
    text = screenshot_when(api_url.removesuffix("/api") + "/runs", run["name"], shot)
    assert run["name"] in text
    assert shot.stat().st_size > 10_000
