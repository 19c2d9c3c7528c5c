"""Answers, downloads, incidents and campaigns in the web view (TestClient, both stores)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from models.cycle.export import export_responses
from tests.portal.coordinator_data import (
    csrf_in,
    seed_answer,
    seed_campaign,
    seed_coordination,
    seed_incident,
    sign_in,
)
from tests.portal.portal_data import NOW


@pytest.fixture
def ids(portal_env, smtp_sink):
    return seed_coordination()["forms"]


@pytest.fixture
def web(ids, smtp_sink):
    from portal.app import create_app

    with TestClient(create_app(), base_url="https://testserver", follow_redirects=False) as c:
        sign_in(c, smtp_sink)
        yield c


def test_read_an_answer_and_its_versions_and_download_as_export(web, ids):
    aid = ids["kvittens"]
    seed_answer(aid, "Första versionen", at=NOW - timedelta(days=2))
    seed_answer(aid, "Andra versionen", who="bo-ek")
    page = web.get(f"/svar/{aid}")
    assert page.status_code == 200 and "Andra versionen" in page.text
    assert "Version 2, inskickad" in page.text and "Bo Ek" in page.text
    first = web.get(f"/svar/{aid}?v=1")
    assert "Första versionen" in first.text and "Andra versionen" not in first.text
    csv = web.get("/oversikt/steg/kontinuitetsplanering/svar.csv?ar=2027")
    assert csv.status_code == 200
    assert csv.text == export_responses("kontinuitetsplanering", year=2027, fmt="csv",
                                        to_file=True)
    xlsx = web.get("/oversikt/steg/kontinuitetsplanering/svar.xlsx?ar=2027")
    assert xlsx.content[:2] == b"PK"


def test_incident_register_with_time_left_and_closing_a_clock(web):
    incident_id = seed_incident()
    listing = web.get("/incidenter")
    assert listing.status_code == 200 and f"/incidenter/{incident_id}" in listing.text
    page = web.get(f"/incidenter/{incident_id}")
    assert "Anmälan till IMY" in page.text and "om 2 d 14 h" in page.text
    missing = web.post(f"/incidenter/{incident_id}", data={
        "csrf": csrf_in(page.text), "clock": "gdpr", "action": "reported", "ref": ""})
    assert missing.status_code == 422 and "referensnumret" in missing.text
    done = web.post(f"/incidenter/{incident_id}", data={
        "csrf": csrf_in(page.text), "clock": "gdpr", "action": "reported", "ref": "IMY-2027-1"})
    assert done.status_code == 303
    assert "IMY-2027-1" in web.get(f"/incidenter/{incident_id}").text
    form = web.post("/incidenter/ny", data={"csrf": csrf_in(page.text),
                                            "unit": "socialforvaltningen"})
    assert form.status_code == 303 and form.headers["location"].startswith("/incident/")
    assert web.get(form.headers["location"]).status_code == 200


def test_campaign_progress_and_the_it_list_after_the_deadline(web):
    cid = seed_campaign()
    listing = web.get("/kampanjer")
    assert listing.status_code == 200 and "1/3" in listing.text
    page = web.get(f"/kampanjer/{cid}")
    assert "Socialförvaltningen" in page.text and "33 %" in page.text
    assert "Anställd 1" in page.text and "anstalld-2@example.se" in page.text
    assert "Anställd 0" not in page.text
