"""The training campaign of the wheel, with completions from a real LRS (Ralph) on loopback."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from models import db
from models.campaigns.directory import DirectoryUser
from models.campaigns.directory_store import sync_people
from models.campaigns.tables import Campaign
from models.cycle.tables import Cycle, StepInstance
from models.notify import ledger
from models.settings import get_settings
from tasks.campaign_tasks import (
    close_campaigns_now,
    record_campaign_messages_now,
    refresh_campaigns_now,
)
from tests.models.campaigns.campaign_data import seed_organisation
from tests.tasks.lrs_peer import PASSWORD, USER, lrs_client, running_lrs

pytestmark = pytest.mark.slow
TZ = ZoneInfo("Europe/Stockholm")
COURSE = "https://lms.example.se/xapi/activities/informationssakerhet-grund"
DEPTS = ["Socialförvaltningen", "Kultur- och fritid", "Kommunledningskontoret"]


def statement(actor: dict, verb: str, activity: str, when: str) -> dict:
    return {"id": str(uuid.uuid4()), "actor": {"objectType": "Agent", **actor},
            "verb": {"id": f"http://adlnet.gov/expapi/verbs/{verb}"},
            "object": {"objectType": "Activity", "id": activity}, "timestamp": when}


@pytest.fixture
def lrs(tmp_path, monkeypatch):
    with running_lrs(tmp_path / "lrs") as url:
        done = [statement({"mbox": f"mailto:P{i}@Example.se"}, "completed", COURSE,
                          "2026-09-20T10:00:00+00:00") for i in range(10)]
        done += [statement({"account": {"homePage": "https://lms.example.se", "name": "e10"}},
                           "passed", COURSE, "2026-09-21T10:00:00+00:00"),
                 statement({"mbox": "mailto:p11@example.se"}, "completed",
                           "https://lms.example.se/xapi/activities/brandskydd",
                           "2026-09-21T10:00:00+00:00"),
                 statement({"mbox": "mailto:p12@example.se"}, "launched", COURSE,
                           "2026-09-21T10:00:00+00:00")]
        client = lrs_client(url)
        for batch in (done[:5], done[5:]):
            assert client.post("statements", json=batch,
                               headers={"X-Experience-API-Version": "1.0.3"}).status_code == 200
        monkeypatch.setenv("ARSHJUL_XAPI_URL", url)
        monkeypatch.setenv("ARSHJUL_XAPI_USERNAME", USER)
        monkeypatch.setenv("ARSHJUL_XAPI_PASSWORD", PASSWORD)
        get_settings.cache_clear()
        yield url


def seed_training(session) -> None:
    seed_organisation(session)
    session.add(Cycle(year=2026, wheel_file="wheel/default.yaml", planned_at=datetime.now(UTC)))
    session.flush()
    session.add(StepInstance(
        year=2026, step_id="informationssakerhetsutbildning", key="informationssakerhetsutbildning",
        title_sv="Informationssäkerhetsutbildning", title_en="Information security training",
        phase="anvanda", kind="campaign", audience_role="chef", audience_per="unit",
        opens=date(2026, 9, 1), due=date(2026, 12, 15), remind=[-30, -14, -3, 0],
        escalate=[{"after": 3, "to": "chef"}], options={"course": COURSE}))
    people = [DirectoryUser(f"e{i}", f"Person {i:02d}", f"p{i}@example.se", DEPTS[i % 3])
              for i in range(30)]
    sync_people([people], source="csv", session=session, now=datetime.now(UTC))


def rows(**where) -> list:
    with db.session() as s:
        query = select(ledger.Notification)
        for key, value in where.items():
            query = query.where(getattr(ledger.Notification, key) == value)
        return list(s.exec(query))


def test_training_from_lrs_to_chefs(sqlite_store, lrs):
    with db.session() as s:
        seed_training(s)
    stats = refresh_campaigns_now(datetime(2026, 9, 1, 9, tzinfo=TZ))
    # the LRS already holds September's completions (it does not time-travel with us)
    assert stats["started"] == 1 and stats["joined"] == 30 and stats["done"] == 11
    with db.session() as s:
        campaign = s.exec(select(Campaign)).one()
        assert campaign.remind_on == ["2026-11-16", "2026-12-01", "2026-12-14", "2026-12-15"]
        assert campaign.escalate_on == ["2026-12-18"]
    assert refresh_campaigns_now(datetime(2026, 10, 1, 9, tzinfo=TZ))["done"] == 0
    with db.session() as s:
        assert s.exec(select(Campaign)).one().started_at == datetime(2026, 8, 31, 22, tzinfo=UTC)
    assert record_campaign_messages_now(datetime(2026, 11, 16, 9, tzinfo=TZ)) == {
        "remind": 19, "report": 3}
    reminded = {r.recipient_id for r in rows(occasion="remind:2026-11-16")}
    assert len(reminded) == 19 and "csv-e0" not in reminded and "csv-e10" not in reminded
    report = rows(occasion="report:2026-11-16", recipient_id="chef-socialforvaltningen")[0]
    assert report.payload["note"]["sv"] == "Socialförvaltningen: 4 av 10 klara (40 %)."
    # nothing new on a re-run, nothing on a weekend, nothing before the deadline closes it
    assert record_campaign_messages_now(datetime(2026, 11, 16, 15, tzinfo=TZ)) == {}
    assert close_campaigns_now(datetime(2026, 12, 16, 9, tzinfo=TZ)) == []
    assert record_campaign_messages_now(datetime(2026, 12, 18, 9, tzinfo=TZ))["escalate"] == 3
    escalation = rows(occasion="escalate:2026-12-18", recipient_id="chef-kulturforvaltningen")[0]
    assert escalation.kind == "escalation"
    assert escalation.payload["note"]["sv"].startswith(
        "Kulturförvaltningen: 6 av 10 är inte klara: ")
    assert "Person 13" in escalation.payload["note"]["sv"]
    closed = close_campaigns_now(datetime(2026, 12, 18, 9, 5, tzinfo=TZ))
    assert closed == [{"campaign": 1, "not_done": 19, "force_change": False}]
    assert rows(occasion="it-list") == []  # training has no IT list


def test_a_training_campaign_without_lrs_does_not_block_a_drive(sqlite_store, monkeypatch):
    from models.campaigns import store as campaign_store

    monkeypatch.delenv("ARSHJUL_XAPI_URL", raising=False)
    get_settings.cache_clear()
    with db.session() as s:
        seed_training(s)
        campaign_store.start_drive(session=s, now=datetime(2026, 9, 1, 8, tzinfo=TZ),
                                   deadline=date(2026, 9, 10), start_day=date(2026, 9, 1),
                                   population={}, include_elected=False, force_change=False)
    stats = refresh_campaigns_now(datetime(2026, 9, 1, 9, tzinfo=TZ))
    assert stats["started"] == 1 and stats["failed"] == 1 and stats["campaigns"] == 1
    with db.session() as s:
        drive, training = s.exec(select(Campaign).order_by(Campaign.id)).all()
        assert drive.last_synced_at is not None and training.last_synced_at is None
