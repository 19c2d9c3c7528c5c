"""The .ics feed: parsed back by two independent parsers, stable UIDs, the portal route."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
from sqlmodel import select

from models import db
from models.cycle.calendar_feed import (
    build_calendar,
    items_for_all,
    items_for_person,
    items_for_unit,
    person_feed,
    subscription_url,
)
from models.cycle.planning import plan_cycle
from models.cycle.tables import StepInstance
from models.errors import NotFoundError
from models.org_import import import_org
from models.settings import ROOT

EXAMPLE = ROOT / "examples" / "alingsas.yaml"
NOW = datetime(2027, 1, 5, 9, 0, tzinfo=UTC)
STOCKHOLM = ZoneInfo("Europe/Stockholm")


@pytest.fixture
def planned(sqlite_store):
    db.migrate()
    with db.session() as s:
        import_org(EXAMPLE, session=s)
        plan_cycle(2027, session=s)
    return sqlite_store


def _contact(role: str, scope: str) -> str:
    import yaml

    people = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))["people"]
    return next(p["id"] for p in people if f"{role}@{scope}" in p["roles"])


def _unit_ics(unit: str, now=NOW) -> bytes:
    with db.session() as s:
        return build_calendar(items_for_unit(unit, session=s), name="x", now=now)


def _events(data: bytes) -> dict[str, icalendar.Event]:
    cal = icalendar.Calendar.from_ical(data)
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def test_unit_feed_parses_with_icalendar(planned):
    events = _events(_unit_ics("socialforvaltningen"))
    due = events["2027-riskanalys-unit-socialforvaltningen-due@arshjul"]
    # one all-day event on the due date, free time: it blocks no meeting
    assert due.decoded("DTSTART") == date(2027, 11, 15)
    assert due.decoded("DTEND") == date(2027, 11, 16)  # exclusive end: the due day only
    assert str(due["TRANSP"]) == "TRANSPARENT"
    assert str(due["SUMMARY"]) == "Sista dag: Riskanalys – Socialförvaltningen"
    # the unit's board's compliance check is in the unit's calendar too
    assert "2027-efterlevnadskontroll-board-socialnamnden-due@arshjul" in events
    # another unit's items are not; no opening banners in the deadline feed
    assert not any("kommunledningskontoret" in uid for uid in events)
    assert all(uid.endswith("-due@arshjul") for uid in events)
    assert all(e.decoded("DTEND") - e.decoded("DTSTART") == timedelta(days=1)
               for e in events.values())


def test_feed_parses_with_recurring_ical_events(planned):
    cal = icalendar.Calendar.from_ical(_unit_ics("socialforvaltningen"))
    november = recurring_ical_events.of(cal).between(date(2027, 11, 1), date(2027, 12, 1))
    summaries = sorted(str(e["SUMMARY"]) for e in november)
    assert "Sista dag: Riskanalys – Socialförvaltningen" in summaries
    assert "Sista dag: Efterlevnadskontroll dataskydd – Socialnämnden" in summaries
    # on a day in the middle of the riskanalys window nothing shows: no multi-week banners
    assert recurring_ical_events.of(cal).at((2027, 10, 12)) == []
    (exercise,) = [e for e in recurring_ical_events.of(cal).at((2027, 6, 30))
                   if str(e["SUMMARY"]).startswith("Sista dag: Kontinuitetsövning")]
    assert exercise.decoded("DTSTART") == date(2027, 6, 30)


def test_person_feed_one_event_per_deadline_each_with_its_portal_link(planned):
    contact = _contact("kontaktperson", "socialforvaltningen")
    with db.session() as s:
        items = items_for_person(contact, session=s)
        cal = icalendar.Calendar.from_ical(
            build_calendar(items, name="x", now=NOW, person_id=contact))
    year = recurring_ical_events.of(cal).between(date(2027, 1, 1), date(2029, 1, 1))
    answerable = [i for i in items if i.step.kind != "campaign"]
    assert len(year) == len(items) and answerable
    with_url = [e for e in year if e.get("URL")]
    assert len(with_url) == len(answerable)
    for event in with_url:
        assert str(event["URL"]).startswith("http://127.0.0.1:8000/a/")
        assert str(event["URL"]) in str(event["DESCRIPTION"])
        assert str(event["TRANSP"]) == "TRANSPARENT"
    risk = next(e for e in year if "Riskanalys" in str(e["SUMMARY"]))
    assert "Svara på riskanalys för Socialförvaltningen: http" in str(risk["DESCRIPTION"])
    (alarm,) = risk.walk("VALARM")
    assert alarm.decoded("TRIGGER") == timedelta(hours=-15)  # 09:00 the day before


def test_openings_are_a_separate_feed_of_single_days(planned):
    with db.session() as s:
        data = build_calendar(items_for_unit("socialforvaltningen", session=s), name="x",
                              now=NOW, openings=True)
    events = _events(data)
    opens = events["2027-riskanalys-unit-socialforvaltningen-opens@arshjul"]
    assert opens.decoded("DTSTART") == date(2027, 9, 1)
    assert opens.decoded("DTEND") == date(2027, 9, 2)
    assert str(opens["SUMMARY"]) == "Öppnar: Riskanalys – Socialförvaltningen"
    assert not any(uid.endswith("-due@arshjul") for uid in events)


def test_reexport_with_changed_deadline_keeps_uids(planned, tmp_path):
    before = _events(_unit_ics("socialforvaltningen"))
    wheel = (ROOT / "wheel" / "default.yaml").read_text(encoding="utf-8")
    moved = tmp_path / "wheel.yaml"
    moved.write_text(wheel.replace('due: "11-15"', 'due: "11-22"'), encoding="utf-8")
    with db.session() as s:
        plan_cycle(2027, session=s, wheel_path=moved)
    later = datetime(2027, 2, 1, 9, tzinfo=UTC)
    after = _events(_unit_ics("socialforvaltningen", now=later))
    assert set(after) == set(before)  # same events, none added, none lost
    uid = "2027-riskanalys-unit-socialforvaltningen-due@arshjul"
    assert after[uid].decoded("DTSTART") == date(2027, 11, 22)
    assert after[uid]["SEQUENCE"] > before[uid]["SEQUENCE"]


def test_person_feed_holds_their_assignments_with_portal_links(planned):
    contact = _contact("kontaktperson", "socialforvaltningen")
    with db.session() as s:
        items = items_for_person(contact, session=s)
        data = build_calendar(items, name="x", now=NOW, person_id=contact)
    scopes = {(i.step.step_id, i.scope_id) for i in items}
    assert ("riskanalys", "socialforvaltningen") in scopes
    assert all(
        scope in ("socialforvaltningen", "socialnamnden") or step == "incidentstatistik"
        for step, scope in scopes
        if scope != ""
    )
    events = _events(data)
    link = str(events["2027-riskanalys-unit-socialforvaltningen-due@arshjul"]["URL"])
    assert link.startswith("http://127.0.0.1:8000/a/")
    from models.links import verify_token

    claims = verify_token(link.rsplit("/", 1)[1], now=NOW)
    assert claims.person_id == contact


def test_all_feed_has_each_step_instance_once(planned):
    with db.session() as s:
        items = items_for_all(session=s)
        count = len(s.exec(select(StepInstance).where(StepInstance.year == 2027)).all())
    assert len(items) == count
    assert len(_events(build_calendar(items, name="x", now=NOW))) == count


def test_unknown_person_or_unit(planned):
    with db.session() as s, pytest.raises(NotFoundError, match="okänd person 'ingen'"):
        items_for_person("ingen", session=s)
    with db.session() as s, pytest.raises(NotFoundError, match="okänd förvaltning 'ingen'"):
        items_for_unit("ingen", session=s)


def test_portal_serves_the_signed_subscription(planned, monkeypatch):
    from fastapi.testclient import TestClient

    from models.settings import get_settings

    monkeypatch.setenv("ARSHJUL_SECRET_KEY", "calendar-test-secret-0123456789abcdef")
    monkeypatch.setenv("ARSHJUL_NOW", NOW.isoformat())
    get_settings.cache_clear()
    from portal.app import create_app

    app = create_app()
    contact = _contact("kontaktperson", "socialforvaltningen")
    url = subscription_url(contact, NOW)
    path = url.split("8000", 1)[1]
    with TestClient(app) as client:
        response = client.get(path)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/calendar")
        with db.session() as s:
            assert (
                _events(response.content).keys()
                == _events(person_feed(contact, session=s, now=NOW)).keys()
            )
        token = path.split("/")[-1][: -len(".ics")]
        tampered = client.get(f"/kalender/{token[:-2]}xx.ics")
        assert tampered.status_code in (400, 403)
        assert "BEGIN:VCALENDAR" not in tampered.text
        from models.org import Person

        with db.session() as s:  # the person leaves the organisation file
            s.get(Person, contact).active = False
        gone = client.get(path)
        assert gone.status_code == 404 and "BEGIN:VCALENDAR" not in gone.text
