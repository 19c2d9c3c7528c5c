"""Reporting an incident through a unit's signed link in the portal."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from models import db
from models.incidents import Incident, IncidentClock
from models.links import make_subject_token
from portal import incidents as incident_portal
from tests.models.incident_org import load_example_org
from tests.portal.portal_data import NOW, SECRET


@pytest.fixture
def unit_client(portal_env):
    load_example_org()
    from portal.app import create_app

    app = create_app()
    if not any(getattr(r, "path", "") == "/incident/{token}" for r in app.routes):
        app.include_router(incident_portal.router)
    with TestClient(app, follow_redirects=False) as client:
        yield client


def link(unit="socialforvaltningen", person="mikael-hedlund", kind=incident_portal.KIND) -> str:
    token = make_subject_token(kind, unit, person, NOW + timedelta(days=30), secret=SECRET)
    return f"/incident/{token}"


def post(client, url: str, **fields):
    page = client.get(url)
    csrf = page.text.split('name="csrf" value="')[1].split('"')[0]
    return client.post(url, data={"csrf": csrf, **fields})


def stored():
    with db.session() as session:
        return session.exec(select(Incident)).all(), session.exec(select(IncidentClock)).all()


def test_a_unit_contact_reports_a_breach_and_sees_the_imy_deadline(unit_client):
    url = link()
    form = unit_client.get(url)
    assert form.status_code == 200 and "Socialförvaltningen" in form.text
    done = post(
        unit_client,
        url,
        category="personuppgiftsincident",
        aware_at="2027-09-30T15:00",
        description="Journalkopia skickad till fel adress",
        personal_data="1",
    )
    assert done.status_code == 303
    page = unit_client.get(done.headers["location"])
    assert "Anmälan till IMY (GDPR art. 33)" in page.text and "2027-10-03 15:00 CEST" in page.text
    (incident,), (clock,) = stored()
    assert (incident.source, incident.registered_by, incident.board_id) == (
        "portal",
        "mikael-hedlund",
        "socialnamnden",
    )
    assert clock.kind == "gdpr"


def test_bad_input_shows_the_form_again_and_stores_nothing(unit_client):
    url = link()
    response = post(
        unit_client, url, category="", aware_at="2027-10-09T09:00", description="Något hände"
    )
    assert response.status_code == 422
    assert "category: missing" in response.text and "is in the future" in response.text
    assert "Något hände" in response.text  # the input is kept
    assert stored() == ([], [])


def test_a_link_of_another_kind_or_a_forged_post_is_refused(unit_client):
    assert unit_client.get(link(kind="assignment")).status_code == 403
    response = unit_client.post(link(), data={"csrf": "x", "category": "personell"})
    assert response.status_code == 403 and stored() == ([], [])


def test_the_confirmation_shows_only_incidents_of_the_links_unit(unit_client):
    done = post(unit_client, link(), category="personell", aware_at="2027-09-30T15:00")
    other = link(unit="kommunledningskontoret", person="lars-sjoberg")
    incident_id = done.headers["location"].split("id=")[1]
    assert unit_client.get(f"{other}/klar?id={incident_id}").status_code == 404
