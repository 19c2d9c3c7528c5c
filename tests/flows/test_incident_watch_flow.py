"""The `incident-clock-watch` flow on a real (ephemeral) Prefect server."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from flows.incidents import incident_clock_watch
from models import db
from models.incidents.register import NewIncident, register_incident
from models.org import Person
from models.settings import get_settings
from tests.models.incidents.incident_org import load_example_org


@pytest.mark.slow
def test_the_flow_alerts_once_and_reports_counts_only(sqlite_store, prefect_harness, monkeypatch):
    monkeypatch.setenv("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    load_example_org()
    aware = datetime(2027, 6, 25, 14, 0, tzinfo=UTC)
    with db.session() as session:
        register_incident(
            NewIncident("personuppgiftsincident", "socialforvaltningen", aware),
            now=aware,
            session=session,
        )
    first = incident_clock_watch(now="2027-06-25T14:00:00+00:00")
    again = incident_clock_watch(now="2027-06-25T14:15:00+00:00")
    assert first["recorded"]["recorded"] == 1 and first["delivered"]["messages"] == 1
    assert again["recorded"]["recorded"] == 0 and again["delivered"].get("messages", 0) == 0
    assert first["recorded"]["next_wakeup"] == "2027-06-27T14:00:00+00:00"
    assert len(list(get_settings().resolved_outbox_dir.glob("*.eml"))) == 1
    # ids and counts only: no one's name or address in what the flow returns. The Prefect database
    # as a whole is searched in tests/flows/test_prefect_no_personal_data.py.
    with db.session() as session:
        people = session.exec(select(Person)).all()
    returned = repr([first, again]).lower()
    assert [p.id for p in people if p.name.lower() in returned or p.email.lower() in returned] == []
    assert "erik.lind@example.se" in {p.email for p in people}  # the alerted DPO is among them
