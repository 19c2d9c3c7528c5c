"""Ask Prefect for a run of the incident clock watch now (one side effect: a flow run request).

A new incident's registration alert is due at once, but the watch deployment runs every 15
minutes. After registering, the CLI and the portal request an immediate run of that deployment,
so the alert goes out within seconds from a worker that has the delivery settings (SMTP). Only
the incident id travels, in the run's name; never a description or a person.

Two plain calls to Prefect's REST API over httpx (read the deployment by name, create a flow run
of it), with the address and credentials of Prefect's own settings (PREFECT_API_URL,
PREFECT_API_AUTH_STRING or PREFECT_API_KEY, read without importing Prefect), or the address of
the `arshjul serve` running for this store. Not Prefect's client: that starts process-wide
services (events, logs) in a CLI command or a portal request that has no flow of its own.

Without a Prefect server to ask (PREFECT_API_URL unset, unreachable, or the deployment not
deployed) nothing is requested and the next scheduled watch run sends the alert.
"""

from __future__ import annotations

import logging
from datetime import datetime

import httpx

#: The clock watch deployment of prefect.yaml (flow `incident-clock-watch`, deployment `watch`).
WATCH_FLOW, WATCH_DEPLOYMENT = "incident-clock-watch", "watch"
TIMEOUT = 5.0

log = logging.getLogger(__name__)


def request_clock_watch(incident_id: int, registered_at: datetime) -> str | None:
    """Request a watch run now; the flow run id, or None when no Prefect server could take it.

    The run acts at `registered_at` (its `now` parameter), the moment the alert became due.
    """
    api = prefect_api()
    if api is None:
        return None
    url, headers = api
    body = {
        "name": f"incident {incident_id} registrerad",
        "parameters": {"now": registered_at.isoformat()},
        "tags": ["incident-registrerad"],
    }
    try:
        with httpx.Client(base_url=url.rstrip("/"), headers=headers, timeout=TIMEOUT) as client:
            found = client.get(f"/deployments/name/{WATCH_FLOW}/{WATCH_DEPLOYMENT}")
            found.raise_for_status()
            run = client.post(f"/deployments/{found.json()['id']}/create_flow_run", json=body)
            run.raise_for_status()
            return str(run.json()["id"])
    except (httpx.HTTPError, KeyError, ValueError) as exc:
        log.warning("clock watch not requested: %s", type(exc).__name__)
        return None


def prefect_api() -> tuple[str, dict[str, str]] | None:
    """Prefect's API address and auth header, or None: PREFECT_API_URL (environment or profile),
    else the address of the `arshjul serve` running for this store."""
    from models.settings import get_settings
    from tasks.connectors.prefect_api import auth_headers, configured_api_url, serve_api_url

    url = configured_api_url()
    if not url:
        settings = get_settings()
        url = serve_api_url(settings.home, settings.resolved_database_url)
    return (url, auth_headers()) if url else None
