"""A registered incident's alert goes out at once: registration requests a clock-watch run.

Against a real Prefect server with the `incident-clock-watch/watch` deployment: `arshjul incident
report` and the portal's incident form (a real portal server) each create a flow run of the
watch, named by the incident id only; executing that run (`prefect flow-run execute`, as a worker
would) delivers the DPO's alert over SMTP. Without a Prefect server the registration still
succeeds and says that the next scheduled watch, or `arshjul incident watch`, sends the alert.

Everything that talks to Prefect runs in a process of its own, as in production: Prefect's
client services are process-wide and must not point other tests at this server.
"""

from __future__ import annotations

import os
import subprocess
import time
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from models.links import make_subject_token
from models.settings import ROOT, get_settings
from portal import incidents as incident_portal
from tests.flows.prefect_live import BIN, prefect_env
from tests.models.incidents.incident_org import load_example_org
from tests.portal.portal_server import running_portal

pytestmark = pytest.mark.slow

SECRET = "registration-alert-secret-0123456789"
NOW = "2027-06-25T16:00:00+02:00"  # the Friday before midsummer, 16:00
DEPLOY = ("from flows.incidents import incident_clock_watch; "
          "print(incident_clock_watch.to_deployment(name='watch').apply())")


@pytest.fixture(scope="module")
def watch_api(prefect_server):  # noqa: F811
    """The Prefect API with the clock watch deployed (served deployments register the same)."""
    done = subprocess.run([str(BIN / "python"), "-c", DEPLOY], cwd=ROOT, capture_output=True,
                          text=True, env=prefect_env(prefect_server.api_url), timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return prefect_server.api_url, done.stdout.strip().splitlines()[-1]


@pytest.fixture
def org(sqlite_store, smtp_sink, monkeypatch):
    monkeypatch.setenv("ARSHJUL_SMTP_URL", smtp_sink.url)
    monkeypatch.setenv("ARSHJUL_SECRET_KEY", SECRET)
    get_settings.cache_clear()
    load_example_org()
    return smtp_sink


def arshjul_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k.startswith("ARSHJUL_")}


def watch_runs(api_url: str, deployment_id: str) -> list[dict]:
    body = {"deployments": {"id": {"any_": [deployment_id]}}, "sort": "EXPECTED_START_TIME_DESC"}
    response = httpx.post(f"{api_url}/flow_runs/filter", json=body, timeout=30)
    response.raise_for_status()
    return response.json()


def execute(api_url: str, run_id: str) -> None:
    """Run the requested flow run the way a worker does, with this test's store and SMTP."""
    result = subprocess.run(
        [str(BIN / "prefect"), "flow-run", "execute", run_id],
        cwd=ROOT, env=prefect_env(api_url, **arshjul_env()), capture_output=True, text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def report(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "arshjul"), "incident", "report", "--category", "personuppgiftsincident",
         "--unit", "socialforvaltningen", "--aware-at", "2027-06-25T15:30",
         "--description", "Journalkopia skickad till fel mottagare", "--now", NOW],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL,
    )


def test_cli_registration_requests_the_watch_and_the_run_alerts_the_dpo(org, watch_api):
    api_url, deployment_id = watch_api
    before = {r["id"] for r in watch_runs(api_url, deployment_id)}
    result = report(prefect_env(api_url, **arshjul_env()))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Larmen skickas strax: bevakningen av tidsfristerna är beställd i Prefect" in (
        result.stdout)
    (run,) = [r for r in watch_runs(api_url, deployment_id) if r["id"] not in before]
    assert run["id"] in result.stdout
    assert run["name"].startswith("incident ") and run["name"].endswith(" registrerad")
    assert run["parameters"] == {"now": "2027-06-25T14:00:00+00:00"}  # ids and times only
    assert org.messages == []  # the CLI itself sends nothing
    execute(api_url, run["id"])
    to_dpo = [m for m in org.messages if "erik.lind@example.se" in m["To"]]
    assert len(to_dpo) == 1
    assert "IMY" in to_dpo[0].get_body(("plain",)).get_content()


def test_the_portal_form_requests_the_watch_after_answering(org, watch_api, tmp_path):
    api_url, deployment_id = watch_api
    before = {r["id"] for r in watch_runs(api_url, deployment_id)}
    now = datetime(2027, 6, 25, 14, 0, tzinfo=UTC)
    token = make_subject_token(incident_portal.KIND, "socialforvaltningen", "mikael-hedlund",
                               now + timedelta(days=30), secret=SECRET)
    env = prefect_env(api_url, **arshjul_env(), ARSHJUL_NOW=NOW)
    with running_portal(env, tmp_path / "portal.log") as portal, httpx.Client(
        base_url=portal.url, follow_redirects=False, timeout=30
    ) as client:
        page = client.get(f"/incident/{token}")
        csrf = page.text.split('name="csrf" value="')[1].split('"')[0]
        done = client.post(f"/incident/{token}", data={
            "csrf": csrf, "category": "personuppgiftsincident", "aware_at": "2027-06-25T15:30",
            "description": "Journalkopia skickad till fel mottagare", "personal_data": "1",
        })
        assert done.status_code == 303
        runs = []
        for _ in range(100):  # the request goes out after the answer: wait for it to land
            runs = [r for r in watch_runs(api_url, deployment_id) if r["id"] not in before]
            if runs:
                break
            time.sleep(0.1)
    (run,) = runs
    assert run["name"].endswith(" registrerad")
    execute(api_url, run["id"])
    assert len([m for m in org.messages if "erik.lind@example.se" in m["To"]]) == 1


def test_without_prefect_the_registration_stands_and_says_when_alerts_go(org, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env["PREFECT_HOME"] = str(tmp_path / "prefect")  # no profile naming a server either
    result = report(env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Incident 1 registrerad" in result.stdout
    assert ("Larmen skickas vid nästa schemalagda bevakning (var 15:e minut), eller nu med "
            "`arshjul incident watch`.") in result.stdout
