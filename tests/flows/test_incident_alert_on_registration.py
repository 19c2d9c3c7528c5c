"""A registered incident's alert goes out at once: registration requests a clock-watch run.

Against a real Prefect server with the `incident-clock-watch/watch` deployment: `incident report`
(CLI) and the portal's incident form each create a flow run of the watch, named by the incident
id only; executing that run (`prefect flow-run execute`, as a worker would) delivers the DPO's
alert over SMTP. Without a Prefect server the registration still succeeds and says that the next
scheduled watch sends the alert.
"""

from __future__ import annotations

import os
import subprocess
from datetime import timedelta

import httpx
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from cli.main import app
from flows.incidents import incident_clock_watch
from models.links import make_subject_token
from models.settings import ROOT, get_settings
from portal import incidents as incident_portal
from tests.flows.prefect_live import BIN, prefect_env, prefect_server  # noqa: F401
from tests.models.incident_org import load_example_org

pytestmark = pytest.mark.slow

SECRET = "registration-alert-secret-0123456789"
NOW = "2027-06-25T16:00:00+02:00"  # the Friday before midsummer, 16:00


@pytest.fixture(scope="module")
def watch_api(prefect_server):  # noqa: F811
    """The Prefect API with the clock watch deployed (served deployments register the same)."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: prefect_server.api_url}):
        deployment_id = incident_clock_watch.to_deployment(name="watch").apply()
    return prefect_server.api_url, str(deployment_id)


@pytest.fixture
def org(sqlite_store, smtp_sink, monkeypatch):
    monkeypatch.setenv("ARSHJUL_SMTP_URL", smtp_sink.url)
    monkeypatch.setenv("ARSHJUL_SECRET_KEY", SECRET)
    get_settings.cache_clear()
    load_example_org()
    return smtp_sink


@pytest.fixture
def prefect_at(watch_api):
    """Prefect clients in this process talk to the test server (settings are read at import)."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: watch_api[0]}):
        yield watch_api


def watch_runs(api_url: str, deployment_id: str) -> list[dict]:
    body = {"deployments": {"id": {"any_": [deployment_id]}}, "sort": "EXPECTED_START_TIME_DESC"}
    response = httpx.post(f"{api_url}/flow_runs/filter", json=body, timeout=30)
    response.raise_for_status()
    return response.json()


def execute(api_url: str, run_id: str) -> None:
    """Run the requested flow run the way a worker does, with this test's store and SMTP."""
    arshjul = {k: v for k, v in os.environ.items() if k.startswith("ARSHJUL_")}
    result = subprocess.run(
        [str(BIN / "prefect"), "flow-run", "execute", run_id],
        cwd=ROOT, env=prefect_env(api_url, **arshjul), capture_output=True, text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def report(*extra: str):
    return CliRunner().invoke(app, [
        "incident", "report", "--category", "personuppgiftsincident",
        "--unit", "socialforvaltningen", "--aware-at", "2027-06-25T15:30",
        "--description", "Journalkopia skickad till fel mottagare", "--now", NOW, *extra,
    ])


def test_cli_registration_requests_the_watch_and_the_run_alerts_the_dpo(org, prefect_at):
    api_url, deployment_id = prefect_at
    before = {r["id"] for r in watch_runs(api_url, deployment_id)}
    result = report()
    assert result.exit_code == 0, result.output
    assert "Larmen skickas nu: bevakningen av tidsfristerna körs i Prefect" in result.output
    (run,) = [r for r in watch_runs(api_url, deployment_id) if r["id"] not in before]
    assert run["id"] in result.output
    assert run["name"].startswith("incident ") and run["name"].endswith(" registrerad")
    assert run["parameters"] == {"now": "2027-06-25T14:00:00+00:00"}  # ids and times only
    assert org.messages == []  # nothing is sent by the CLI itself
    execute(api_url, run["id"])
    to_dpo = [m for m in org.messages if "erik.lind@example.se" in m["To"]]
    assert len(to_dpo) == 1
    assert "IMY" in to_dpo[0].get_body(("plain",)).get_content()


def test_the_portal_form_requests_the_watch_after_answering(org, prefect_at, monkeypatch):
    api_url, deployment_id = prefect_at
    monkeypatch.setenv("ARSHJUL_NOW", NOW)
    get_settings.cache_clear()
    from portal.app import create_app

    before = {r["id"] for r in watch_runs(api_url, deployment_id)}
    token = make_subject_token(incident_portal.KIND, "socialforvaltningen", "mikael-hedlund",
                               get_settings().now + timedelta(days=30), secret=SECRET)
    with TestClient(create_app(), follow_redirects=False) as client:
        page = client.get(f"/incident/{token}")
        csrf = page.text.split('name="csrf" value="')[1].split('"')[0]
        done = client.post(f"/incident/{token}", data={
            "csrf": csrf, "category": "personuppgiftsincident", "aware_at": "2027-06-25T15:30",
            "description": "Journalkopia skickad till fel mottagare", "personal_data": "1",
        })
    assert done.status_code == 303
    (run,) = [r for r in watch_runs(api_url, deployment_id) if r["id"] not in before]
    assert run["name"].endswith(" registrerad")
    execute(api_url, run["id"])
    assert len([m for m in org.messages if "erik.lind@example.se" in m["To"]]) == 1


def test_without_prefect_the_registration_stands_and_says_when_alerts_go(org):
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(restore_defaults={PREFECT_API_URL}):
        assert PREFECT_API_URL.value() is None
        result = report()
    assert result.exit_code == 0, result.output
    assert "registrerad" in result.output
    assert "Larmen skickas vid nästa schemalagda bevakning (var 15:e minut)." in result.output
