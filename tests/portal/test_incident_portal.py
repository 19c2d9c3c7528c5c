"""Reporting an incident through a unit's signed link in the portal."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from models import db
from models.incidents.register import Incident, IncidentClock
from models.links import make_subject_token
from models.org import Organisation
from portal import incidents as incident_portal
from tests.language import use_language
from tests.models.incidents.incident_org import load_example_org
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


def field_block(html: str, element_id: str) -> str:
    """The markup of the form question (or unit fact) holding `element_id`."""
    blocks = re.split(r'(?=<div class="question|<dl class="facts")', html)
    return next(b for b in blocks if f'id="{element_id}"' in b)


def summary(html: str) -> str:
    return html.split('class="error-summary"')[1].split("</div>")[0]


def assert_field_error(html: str, element_id: str, message: str) -> None:
    block = field_block(html, element_id)
    assert message in block and 'class="error-message"' in block, block
    assert message in summary(html)


#: Fragments of the CLI's problem lines (both languages): the portal words problems its own way.
CLI_WORDING = ("--", "category:", "aware-at:", "unit:", "is in the future", "missing",
               "ligger i framtiden", "måste anges", "okänd enhet")

BAD_INPUT = [
    pytest.param(
        "socialforvaltningen",
        {"category": "personell", "aware_at": "2027-10-09T09:00"},
        "f-aware",
        {
            "sv": "Tidpunkten 2027-10-09 09:00 CEST har inte varit än (nu är den "
            "2027-10-01 10:00 CEST). Ange när ni fick kännedom om incidenten.",
            "en": "The time 2027-10-09 09:00 CEST has not happened yet (it is now "
            "2027-10-01 10:00 CEST). Enter when you became aware of the incident.",
        },
        id="future-awareness",
    ),
    pytest.param(
        "ingen-sadan",
        {"category": "personell", "aware_at": "2027-09-30T15:00"},
        "unit",
        {
            "sv": "Enheten ingen-sadan finns inte längre i organisationen. "
            "Be den som skickade länken om en ny.",
            "en": "The unit ingen-sadan is no longer in the organisation. "
            "Ask whoever sent the link for a new one.",
        },
        id="unknown-unit",
    ),
    pytest.param(
        "socialforvaltningen",
        {"category": "", "aware_at": "2027-09-30T15:00"},
        "f-category",
        {"sv": "Välj en kategori.", "en": "Choose a category."},
        id="missing-category",
    ),
]


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize(("unit", "fields", "element_id", "messages"), BAD_INPUT)
def test_bad_input_shows_the_message_next_to_its_field_and_stores_nothing(
    unit_client, lang, unit, fields, element_id, messages
):
    set_language(lang)
    response = post(unit_client, link(unit=unit), description="Något hände", **fields)
    assert response.status_code == 422
    assert_field_error(response.text, element_id, messages[lang])
    heading = {"sv": "Rätta följande", "en": "Please correct"}[lang]
    assert f">{heading}</h2>" in response.text
    assert not [w for w in CLI_WORDING if w in summary(response.text)]
    assert "Något hände" in response.text  # the input is kept
    assert stored() == ([], [])


def test_every_problem_shows_at_once_even_with_an_unreadable_time(unit_client):
    response = post(unit_client, link(), category="", aware_at="i går kväll")
    assert response.status_code == 422
    assert_field_error(response.text, "f-aware", "Ange datum och klockslag, till exempel")
    assert_field_error(response.text, "f-category", "Välj en kategori.")
    assert "ISO 8601" not in response.text and stored() == ([], [])


def test_the_portal_follows_the_organisation_not_the_cli_language(unit_client, monkeypatch):
    use_language(monkeypatch, "en")  # the command line's language only
    fields = BAD_INPUT[0].values[1]
    response = post(unit_client, link(), description="Något hände", **fields)
    assert response.status_code == 422
    assert_field_error(response.text, "f-aware", BAD_INPUT[0].values[3]["sv"])
    assert "is in the future" not in response.text and stored() == ([], [])


def set_language(lang: str) -> None:
    with db.session() as session:
        session.get(Organisation, 1).language = lang


def test_a_link_of_another_kind_or_a_forged_post_is_refused(unit_client):
    assert unit_client.get(link(kind="assignment")).status_code == 403
    response = unit_client.post(link(), data={"csrf": "x", "category": "personell"})
    assert response.status_code == 403 and stored() == ([], [])


def test_the_confirmation_shows_only_incidents_of_the_links_unit(unit_client):
    done = post(unit_client, link(), category="personell", aware_at="2027-09-30T15:00")
    other = link(unit="kommunledningskontoret", person="lars-sjoberg")
    incident_id = done.headers["location"].split("id=")[1]
    assert unit_client.get(f"{other}/klar?id={incident_id}").status_code == 404
