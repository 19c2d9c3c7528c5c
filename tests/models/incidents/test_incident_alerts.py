"""Incident clock alerts through the ledger: time travel over midsummer, closing, exactly once."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from models import db
from models.incidents.alerts import next_wakeup
from models.incidents.register import NewIncident, get_incident, register_incident
from models.incidents.updates import Closing, close_clocks
from models.notify import ledger
from models.settings import get_settings
from tasks.deliver import deliver_batch
from tasks.incident_alerts import record_incident_alerts_now
from tests.models.incidents.incident_org import COORDINATOR, DPO, IT_SECURITY, load_example_org

STHLM = ZoneInfo("Europe/Stockholm")
EMAIL = {DPO: "erik.lind", IT_SECURITY: "maria.holm", COORDINATOR: "anna.berg"}


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=STHLM).astimezone(UTC)


def register(aware: datetime, *, personal=True, nis2=False) -> int:
    new = NewIncident(
        category="personuppgiftsincident" if personal else "it-sakerhet",
        subkind="" if personal else "intrang",
        unit_id="socialforvaltningen",
        aware_at=aware,
        personal_data=personal,
        nis2_significant=nis2,
        description="Brev till fel mottagare",
    )
    with db.session() as session:
        return register_incident(new, now=aware, session=session).id


def watch(now: datetime) -> None:
    """One run of the clock watch: record what is due, deliver the ledger."""
    record_incident_alerts_now(now.isoformat())
    deliver_batch(now)


def travel(start: datetime, hours: int) -> None:
    """Run the watch every 15 minutes from `start` for `hours` hours."""
    for step in range(hours * 4 + 1):
        watch(start + timedelta(minutes=15 * step))


def mails() -> list[tuple[str, str, str]]:
    """(local date sent, recipient local part, subject) of every message in the outbox."""
    out = []
    for path in sorted(get_settings().resolved_outbox_dir.glob("*.eml")):
        msg = message_from_bytes(path.read_bytes(), policy=policy.default)
        sent = parsedate_to_datetime(msg["Date"]).astimezone(STHLM).strftime("%Y-%m-%d %H:%M %Z")
        out.append((sent, msg["To"].split("@")[0], " ".join(msg["Subject"].split())))
    return sorted(out)


@pytest.fixture
def org(store):
    load_example_org()
    return store


def test_midsummer_breach_alerts_the_dpo_on_absolute_hours(sqlite_store):
    load_example_org()  # 300 watch runs: SQLite only, PostgreSQL runs the shorter tests below
    aware = at("2027-06-25T16:00")  # midsommarafton, a Friday
    register(aware)
    travel(aware, 76)
    assert mails() == [
        (
            "2027-06-25 16:00 CEST",
            "erik.lind",
            "Incident: Ny incident 1: Personuppgiftsincident – Socialförvaltningen (Alingsås kommun)",
        ),
        (
            "2027-06-27 16:00 CEST",
            "erik.lind",
            "Incident: Incident 1: Anmälan till IMY (GDPR art. 33) – 24 timmar kvar "
            "– sista dag 28 juni 2027 16:00 CEST (Alingsås kommun)",
        ),
        (
            "2027-06-28 12:00 CEST",
            "erik.lind",
            "Incident: Incident 1: Anmälan till IMY (GDPR art. 33) – 4 timmar kvar "
            "– sista dag 28 juni 2027 16:00 CEST (Alingsås kommun)",
        ),
        (
            "2027-06-28 16:00 CEST",
            "erik.lind",
            "Incident: Incident 1: Anmälan till IMY (GDPR art. 33) – tidsfristen har passerat "
            "– sista dag 28 juni 2027 16:00 CEST (Alingsås kommun)",
        ),
    ]


def test_alerts_across_the_autumn_dst_change_come_on_absolute_hours(org):
    aware = at("2027-10-29T16:00")
    register(aware)
    for moment in (
        "2027-10-29T16:00",
        "2027-10-31T14:59",
        "2027-10-31T15:00",
        "2027-11-01T10:59",
        "2027-11-01T11:00",
        "2027-11-01T15:00",
    ):
        watch(at(moment))
    assert [(sent, subject.split(" – ")[1]) for sent, _who, subject in mails()] == [
        ("2027-10-29 16:00 CEST", "Socialförvaltningen (Alingsås kommun)"),
        ("2027-10-31 15:00 CET", "24 timmar kvar"),
        ("2027-11-01 11:00 CET", "4 timmar kvar"),
        ("2027-11-01 15:00 CET", "tidsfristen har passerat"),
    ]


def test_nis2_alerts_go_to_it_security_and_the_coordinator(org):
    aware = at("2027-06-25T16:00")
    register(aware, personal=False, nis2=True)
    watch(aware)
    watch(at("2027-06-26T12:00"))
    people = [who for _sent, who, _subject in mails()]
    assert sorted(people) == ["anna.berg", "anna.berg", "maria.holm", "maria.holm"]
    assert "erik.lind" not in people


def test_closing_the_clock_stops_its_alerts(org):
    aware = at("2027-06-25T16:00")
    incident_id = register(aware)
    watch(aware)
    with db.session() as session:
        close_clocks(
            get_incident(incident_id, session=session),
            [Closing("gdpr", "IMY-2027-123", aware + timedelta(hours=20))],
            by="",
            now=aware + timedelta(hours=20),
            session=session,
        )
    for hours in (48, 68, 72, 96):
        watch(aware + timedelta(hours=hours))
    assert len(mails()) == 1  # the registration alert only
    with db.session() as session:
        assert next_wakeup(aware + timedelta(hours=21), session=session) is None


def test_a_decision_not_to_report_stops_the_imy_clock_and_keeps_the_reason(org):
    aware = at("2027-06-25T16:00")
    incident_id = register(aware)
    reason = "Krypterad bärbar dator; nyckeln inte röjd – osannolikt att risk uppstår"
    with db.session() as session:
        close_clocks(
            get_incident(incident_id, session=session),
            [Closing("gdpr", reason=reason, reporting=False)],
            by=DPO,
            now=aware + timedelta(hours=2),
            session=session,
        )
    travel(aware + timedelta(hours=70), 3)
    assert [subject for *_rest, subject in mails()] == [
        "Incident: Ny incident 1: Personuppgiftsincident – Socialförvaltningen (Alingsås kommun)"
    ]
    with db.session() as session:
        from models.incidents.register import clocks_of

        (clock,) = clocks_of(incident_id, session=session)
        assert (clock.status, clock.reason, clock.decided_by) == ("not-reporting", reason, DPO)


def test_an_alert_queued_for_a_clock_closed_before_delivery_is_cancelled(org):
    aware = at("2027-06-25T16:00")
    incident_id = register(aware)
    record_incident_alerts_now((aware + timedelta(hours=48)).isoformat())  # no delivery yet
    with db.session() as session:
        close_clocks(
            get_incident(incident_id, session=session),
            [Closing("gdpr", "IMY-1", aware + timedelta(hours=48))],
            by="",
            now=aware + timedelta(hours=48),
            session=session,
        )
    watch(aware + timedelta(hours=48))
    assert [subject.split(" – ")[-1] for *_r, subject in mails()] == ["Socialförvaltningen (Alingsås kommun)"]


def test_the_watch_run_twice_at_once_sends_each_alert_once(postgresql_store):
    load_example_org()
    aware = at("2027-06-25T16:00")
    register(aware, personal=True, nis2=True)
    for moment in (aware, at("2027-06-26T12:00"), at("2027-06-27T16:00")):
        barrier = threading.Barrier(2)
        errors: list[BaseException] = []

        def run(moment=moment, barrier=barrier, errors=errors):
            try:
                barrier.wait()
                watch(moment)
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=run) for _ in range(2)]
        [t.start() for t in threads]
        [t.join() for t in threads]
        assert errors == []
    sent = mails()
    # digests: registration (3 people); early warning 4 h (2); at 06-27 16:00 the GDPR 24 h (DPO)
    # and, for IT security and the coordinator, NIS2 notification 24 h + early warning passed
    assert len(sent) == 8 == len(set(sent))
    with db.session() as session:
        rows = session.exec(select(ledger.Notification)).all()
        assert sorted({r.state for r in rows}) == ["sent"]
        assert len(rows) == 3 + 2 + 1 + 2 * 2
