"""Ask Prefect for a run of the incident clock watch now (one side effect: a flow run request).

A new incident's registration alert is due at once, but the watch deployment runs every 15
minutes. After registering, the CLI and the portal request an immediate run of that deployment,
so the alert goes out within seconds from a worker that has the delivery settings (SMTP). Only
the incident id travels, in the run's name; never a description or a person.

Without a Prefect server to ask (PREFECT_API_URL unset, unreachable, or the deployment not
deployed) nothing is requested and the next scheduled watch run sends the alert.
"""

from __future__ import annotations

import logging
from datetime import datetime

import httpx

#: The clock watch deployment of prefect.yaml (flow `incident-clock-watch`, deployment `watch`).
WATCH_DEPLOYMENT = "incident-clock-watch/watch"

log = logging.getLogger(__name__)


def request_clock_watch(incident_id: int, registered_at: datetime) -> str | None:
    """Request a watch run now; the flow run id, or None when no Prefect server could take it.

    The run acts at `registered_at` (its `now` parameter), the moment the alert became due.
    """
    from prefect.exceptions import ObjectNotFound, PrefectHTTPStatusError
    from prefect.settings import (
        PREFECT_API_URL,
        PREFECT_CLIENT_MAX_RETRIES,
        temporary_settings,
    )

    if not PREFECT_API_URL.value():
        return None
    from prefect.deployments import run_deployment

    # One attempt: a coordinator waiting at the prompt should not sit through the client's
    # retries when the server is down; the scheduled watch covers that case.
    with temporary_settings(updates={PREFECT_CLIENT_MAX_RETRIES: 0}):
        try:
            run = run_deployment(
                WATCH_DEPLOYMENT,
                parameters={"now": registered_at.isoformat()},
                timeout=0,
                flow_run_name=f"incident {incident_id} registrerad",
                tags=["incident-registrerad"],
                as_subflow=False,
            )
        except (ObjectNotFound, PrefectHTTPStatusError, httpx.HTTPError, OSError) as exc:
            log.warning("clock watch not requested: %s", type(exc).__name__)
            return None
    return str(run.id)
