"""A real Prefect server for end-to-end tests, and small helpers over its REST API.

`prefect_server` is a fixture of every test (tests/conftest.py imports it): one server per test
process (xdist worker), shared by every module that asks for it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from cli.demo import drain_prefect
from cli.prefect_server import QUIET, LocalPrefectServer, free_port
from models.settings import ROOT

BIN = Path(sys.executable).parent
#: API URL → "user:password" of servers started with PREFECT_SERVER_API_AUTH_STRING.
AUTH: dict[str, str] = {}


@pytest.fixture(scope="session")
def prefect_server(tmp_path_factory):
    """One `prefect server start` (SQLite in its own PREFECT_HOME, free port) per test session."""
    # No scheduler: tests start their runs themselves; scheduled runs of served deployments
    # (the incident watch every 15 minutes, ...) would only add noise.
    server = LocalPrefectServer(tmp_path_factory.mktemp("prefect-home"), port=free_port(),
                                scheduler=False)
    server.start()
    yield server
    drain_prefect()  # logs of in-process runs go out before the server does
    server.stop()


def prefect_env(api_url: str, **extra: str) -> dict[str, str]:
    """Environment for a Prefect client process talking to `api_url`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(QUIET, PREFECT_API_URL=api_url, **extra)
    if api_url in AUTH:
        env["PREFECT_API_AUTH_STRING"] = AUTH[api_url]
    return env


def prefect_cli(api_url: str, *args: str, cwd: Path = ROOT, **extra: str) -> str:
    """Run the `prefect` CLI against `api_url`; fails the test with its output on error."""
    result = subprocess.run(
        [str(BIN / "prefect"), "--no-prompt", *args], cwd=cwd, env=prefect_env(api_url, **extra),
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def start_worker(api_url: str, log: Path, cwd: Path, *, queue: str | None = None,
                 **extra: str) -> subprocess.Popen:
    """A process worker on the `arshjul` pool (optionally one work queue), in its own session."""
    queues = ["--work-queue", queue] if queue else []
    return subprocess.Popen(
        [str(BIN / "prefect"), "worker", "start", "--pool", "arshjul", "--type", "process",
         *queues],
        cwd=cwd, env=prefect_env(api_url, ARSHJUL_CODE_DIR=str(ROOT), **extra),
        stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True,
    )


def stop(process: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    """Stop a child we started (its whole session)."""
    if process.poll() is None:
        os.killpg(process.pid, sig)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)


def api(api_url: str, method: str, path: str, **kw) -> httpx.Response:
    """One REST call; raises on HTTP errors."""
    auth = tuple(AUTH[api_url].split(":", 1)) if api_url in AUTH else None
    response = httpx.request(method, f"{api_url}{path}", timeout=30, auth=auth, **kw)
    response.raise_for_status()
    return response


def deployments(api_url: str) -> list[dict]:
    return api(api_url, "POST", "/deployments/filter", json={}).json()


def deployment(api_url: str, flow_name: str, name: str) -> dict:
    return api(api_url, "GET", f"/deployments/name/{flow_name}/{name}").json()


def schedules(api_url: str, deployment_id: str) -> list[dict]:
    return api(api_url, "GET", f"/deployments/{deployment_id}/schedules").json()


def create_run(api_url: str, deployment_id: str, parameters: dict, queue: str | None = None,
               at: str | None = None) -> dict:
    """A flow run of a deployment, optionally on one work queue and scheduled for `at` (ISO)."""
    path = f"/deployments/{deployment_id}/create_flow_run"
    body = {"parameters": parameters} | ({"work_queue_name": queue} if queue else {})
    if at:
        body["state"] = {"type": "SCHEDULED", "state_details": {"scheduled_time": at}}
    return api(api_url, "POST", path, json=body).json()


def wait_for_run(api_url: str, run_id: str, timeout: float = 240) -> dict:
    """Poll a flow run until it reaches a final state; returns the run."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = api(api_url, "GET", f"/flow_runs/{run_id}").json()
        if run["state_type"] in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED"):
            return run
        time.sleep(0.5)
    raise AssertionError(f"flow run {run_id} did not finish within {timeout:.0f} s")


def run_artifacts(api_url: str, run_id: str) -> list[dict]:
    body = {"artifacts": {"flow_run_id": {"any_": [run_id]}}}
    return api(api_url, "POST", "/artifacts/filter", json=body).json()


def settled_task_runs(flow_run_id, expected: int, timeout: float = 90.0) -> list:
    """The task runs of a flow run once the server has recorded `expected` of them.

    Prefect 3 records task runs from events that the client sends in the background and the
    server persists asynchronously, so right after a flow returns they may not all be there yet.
    Returns whatever is recorded when `timeout` passes (the caller's assertion then says what).
    """
    import asyncio

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    async def fetch():
        async with get_client() as client:
            return await client.read_task_runs(
                flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])))

    drain_prefect()
    deadline = time.monotonic() + timeout
    runs = asyncio.run(fetch())
    while len(runs) < expected and time.monotonic() < deadline:
        time.sleep(0.5)
        runs = asyncio.run(fetch())
    return runs
