"""`arshjul serve`: starts what it needs, serves prefect.yaml's deployments, stops cleanly."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from cli.deployments import read_specs
from cli.prefect_server import free_port, port_in_use
from tests.conftest import TEST_KEY
from tests.flows.prefect_live import (
    api,
    deployment,
    prefect_env,
    schedules,
)

ARSHJUL = str(Path(sys.executable).parent / "arshjul")


def start_serve(cwd: Path, env: dict, *args: str) -> tuple[subprocess.Popen, str]:
    """Start `arshjul serve` and read its output up to the 'Ctrl-C' line."""
    process = subprocess.Popen([ARSHJUL, "serve", *args], cwd=cwd, env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    seen = ""
    for line in process.stdout:
        seen += line
        if "Ctrl-C" in line:
            return process, seen
    process.wait(30)
    raise AssertionError(f"serve ended before it was ready:\n{seen}")


def stop_serve(process: subprocess.Popen, sig: int) -> str:
    process.send_signal(sig)
    out, _ = process.communicate(timeout=90)
    assert process.returncode == 0, out
    return out


def served_specs():
    return [s for s in read_specs() if s.exists()]


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_serve_leaves_every_schedule_active_on_the_server(prefect_server, tmp_path, sig):  # noqa: F811
    env = prefect_env(prefect_server.api_url, ARSHJUL_HOME=str(tmp_path / "home"))
    process, out = start_serve(tmp_path, env, "--no-portal")
    assert f"Prefect UI:  {prefect_server.url}" in out
    stop_serve(process, sig)
    for spec in served_specs():
        flow_name = spec.load_flow().name
        found = deployment(prefect_server.api_url, flow_name, spec.name)
        assert found["paused"] is False, f"{flow_name}/{spec.name} paused"
        crons = {(s["schedule"]["cron"], s["schedule"]["timezone"], s["active"])
                 for s in schedules(prefect_server.api_url, found["id"])}
        assert crons == {(s["cron"], s["timezone"], True) for s in spec.schedules}


@pytest.mark.slow
def test_serve_explains_why_the_portal_refused_to_start(prefect_server, tmp_path):  # noqa: F811
    env = prefect_env(prefect_server.api_url, ARSHJUL_HOME=str(tmp_path / "home"))
    env.pop("ARSHJUL_SECRET_KEY")
    result = subprocess.run([ARSHJUL, "serve", "--portal-port", str(free_port())], cwd=tmp_path,
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "fel: ARSHJUL_SECRET_KEY: saknas eller har standardvärdet" in result.stderr


@pytest.mark.slow
def test_serve_starts_its_own_server_and_portal_and_stops_both(tmp_path):
    env = prefect_env("", ARSHJUL_HOME=str(tmp_path / "home"), ARSHJUL_SECRET_KEY=TEST_KEY)
    del env["PREFECT_API_URL"]
    ui_port, portal_port = free_port(), free_port()
    process, out = start_serve(tmp_path, env, "--prefect-port", str(ui_port),
                               "--portal-port", str(portal_port))
    assert f"Prefect UI:  http://127.0.0.1:{ui_port}" in out
    assert f"Portalen:    http://127.0.0.1:{portal_port}" in out
    assert httpx.get(f"http://127.0.0.1:{ui_port}/api/health").json() is True
    assert httpx.get(f"http://127.0.0.1:{portal_port}/").status_code < 500
    stop_serve(process, signal.SIGINT)
    assert not port_in_use("127.0.0.1", ui_port)
    assert not port_in_use("127.0.0.1", portal_port)
    # The portal runs in serve's process; its log stays in the home, off the terminal.
    assert f"http://127.0.0.1:{portal_port}" in (tmp_path / "home" / "portal.log").read_text()
    # The server kept its database under .arshjul/prefect: nothing in it is paused.
    with sqlite3.connect(tmp_path / "home" / "prefect" / "prefect.db") as conn:
        paused = conn.execute("select count(*) from deployment where paused").fetchone()[0]
        served = conn.execute("select count(*) from deployment").fetchone()[0]
        inactive = conn.execute("select count(*) from deployment_schedule where not active")
        assert (served, paused, inactive.fetchone()[0]) == (len(served_specs()), 0, 0)


@pytest.mark.slow
def test_serve_unpauses_deployments_someone_paused(prefect_server, tmp_path):  # noqa: F811
    env = prefect_env(prefect_server.api_url, ARSHJUL_HOME=str(tmp_path / "home"))
    stop_serve(start_serve(tmp_path, env, "--no-portal")[0], signal.SIGINT)
    ids = [deployment(prefect_server.api_url, s.load_flow().name, s.name)["id"]
           for s in served_specs()]
    for deployment_id in ids:
        api(prefect_server.api_url, "POST", f"/deployments/{deployment_id}/pause_deployment")
    stop_serve(start_serve(tmp_path, env, "--no-portal")[0], signal.SIGINT)
    paused = [api(prefect_server.api_url, "GET", f"/deployments/{i}").json()["paused"] for i in ids]
    assert paused == [False] * len(ids)


def _serve_on_a_taken_port(env: dict, cwd) -> tuple[int, subprocess.CompletedProcess]:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run([ARSHJUL, "serve", "--prefect-port", str(port)], cwd=cwd,
                                env=env, capture_output=True, text=True, timeout=120)
    return port, result


def test_serve_says_which_port_is_taken(tmp_path):
    env = prefect_env("", ARSHJUL_HOME=str(tmp_path / "home"))
    del env["PREFECT_API_URL"]
    port, result = _serve_on_a_taken_port(env, tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == (f"fel: port {port} på 127.0.0.1 är upptagen: välj en annan "
                                     "med --prefect-port")
    env["ARSHJUL_LANGUAGE"] = "en"
    port, result = _serve_on_a_taken_port(env, tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == (f"fel: port {port} on 127.0.0.1 is taken; choose another "
                                     "with --prefect-port")
