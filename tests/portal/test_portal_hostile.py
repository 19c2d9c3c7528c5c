"""Issue #15 items 4, 13 and 14 in the portal: a cross-site incident post, awareness out of range,
Swedish error pages in the portal's layout, and the calendar feed's one cache policy."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from models import db
from models.cycle.calendar_feed import subscription_token
from models.incidents.register import Incident
from models.links import make_subject_token
from tests.portal.portal_data import NOW, SECRET, csrf_of, link

REPORT = {"category": "personuppgiftsincident", "aware_at": "2027-09-30T15:00",
          "description": "Pärm borttappad", "personal_data": "1"}


def incident_url() -> str:
    token = make_subject_token("incident-report", "socialforvaltningen", "anna-berg",
                               NOW + timedelta(days=30), secret=SECRET)
    return f"/incident/{token}"


def incidents() -> list[Incident]:
    with db.session() as s:
        return list(s.exec(select(Incident)).all())


def in_layout(html: str) -> None:
    """A page of the portal: its stylesheet, Swedish, no JSON."""
    assert html.lstrip().lower().startswith("<!doctype html>")
    assert 'lang="sv"' in html and "/static/" in html and '"detail"' not in html


# --- item 4 -----------------------------------------------------------------------------------


@pytest.mark.parametrize("site", ["cross-site", "same-site"])
def test_a_cross_site_incident_post_is_refused_even_with_the_right_token(client, site):
    url = incident_url()
    csrf = csrf_of(client.get(url).text)
    refused = client.post(url, data={**REPORT, "csrf": csrf}, headers={"Sec-Fetch-Site": site})
    assert refused.status_code == 403 and incidents() == []
    accepted = client.post(url, data={**REPORT, "csrf": csrf},
                           headers={"Sec-Fetch-Site": "same-origin"})
    assert accepted.status_code == 303 and len(incidents()) == 1


# --- item 13: awareness is bounded --------------------------------------------------------------


@pytest.mark.parametrize("aware", ["0001-01-01T00:00", "1900-01-01T00:00", "9999-12-31T23:59"])
def test_awareness_out_of_range_is_a_message_next_to_the_field(client, aware):
    url = incident_url()
    csrf = csrf_of(client.get(url).text)
    response = client.post(url, data={**REPORT, "aware_at": aware, "csrf": csrf})
    assert response.status_code == 422
    assert "Ange en tidpunkt från 1970 fram till nu." in response.text
    assert incidents() == []


# --- item 14: error pages ------------------------------------------------------------------------


def test_error_statuses_are_swedish_pages_in_the_portal_layout(client, seeded):
    path = link(seeded["riskanalys"])
    cases = {
        404: client.get("/finns-inte"),
        405: client.put(path, data={"a": "b"}),
        422: client.get(incident_url() + "/klar?id=inte-ett-tal"),
        400: client.post(path, files={"upload": ("a.txt", b"x")}),  # the portal takes no files
        413: client.post(path, content=b"a=" + b"x" * 300_000,
                         headers={"content-type": "application/x-www-form-urlencoded"}),
    }
    titles = {404: "Sidan finns inte", 405: "Det går inte att göra så här",
              422: "Uppgifterna stämmer inte", 400: "Begäran kunde inte läsas",
              413: "För mycket text"}
    for status, response in cases.items():
        assert response.status_code == status, (status, response.text[:300])
        assert response.headers["content-type"].startswith("text/html")
        in_layout(response.text)
        assert titles[status] in response.text
    assert "GET" in cases[405].headers["allow"]


def test_the_calendar_feed_sends_one_cache_policy(client, seeded):
    response = client.get(f"/kalender/{subscription_token('anna-berg', NOW)}.ics")
    assert response.status_code == 200
    assert response.headers.get_list("cache-control") == ["private, max-age=900"]
    page = client.get(link(seeded["riskanalys"]))
    assert page.headers.get_list("cache-control") == ["no-store"]
