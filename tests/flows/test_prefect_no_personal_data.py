"""Personal data never reaches Prefect: after real runs of the campaigns flow (with a CSV
directory), the incident clock watch (a personal-data breach) and a tick against one real Prefect
server, its database holds no name, e-mail address or incident description from our store."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from prefect.settings import PREFECT_API_URL, temporary_settings
from sqlmodel import select

from cli.demo import drain_prefect
from models import db
from models.campaigns import store as campaign_store
from models.cycle.planning import plan_cycle
from models.cycle.tables import StepInstance
from models.incidents.register import NewIncident, register_incident
from models.org import Person
from models.settings import get_settings
from tasks.directory_sync import sync_directory_now
from tests.flows.prefect_scan import scan
from tests.models.incidents.incident_org import load_example_org

pytestmark = pytest.mark.slow
TZ = ZoneInfo("Europe/Stockholm")
#: what the breach report says: free text a reporter may fill with names; it must stay ours
DESCRIPTION = "Journalkopia om Quirinius Vänskapsgren skickad till fel mottagare"
DEPARTMENTS = ("Socialförvaltningen", "Kommunledningskontoret", "Okänd avdelning")


@pytest.fixture
def csv_directory(sqlite_store, tmp_path, monkeypatch) -> Path:
    """The example organisation and a CSV directory of twelve employees with telling names."""
    load_example_org()
    rows = ["id,name,email,department,enabled,elected,last_password_change"]
    for i in range(12):
        rows.append(f"k{i},Katarina Ödmark{i:02d},katarina.odmark{i:02d}@personal.example.se,"
                    f"{DEPARTMENTS[i % 3]},ja,nej,2026-01-01T10:00:00Z")
    path = tmp_path / "personal.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    monkeypatch.setenv("ARSHJUL_DIRECTORY", "csv")
    monkeypatch.setenv("ARSHJUL_DIRECTORY_CSV", str(path))
    get_settings.cache_clear()
    return path


def _start_drive(at: datetime) -> None:
    sync_directory_now(at)
    with db.session() as s:
        campaign_store.start_drive(session=s, now=at, deadline=date(2027, 3, 12),
                                   start_day=at.date(), population={},
                                   include_elected=False, force_change=False)


def _register_breach(aware: datetime) -> None:
    with db.session() as s:
        new = NewIncident("personuppgiftsincident", "socialforvaltningen", aware,
                          description=DESCRIPTION)
        register_incident(new, now=aware, session=s)


def _first_opening() -> datetime:
    with db.session() as s:
        plan_cycle(2027, session=s)
        opens = min(s.exec(select(StepInstance.opens).where(StepInstance.year == 2027)).all())
    return datetime(opens.year, opens.month, opens.day, 8, tzinfo=TZ)


def _needles() -> tuple[set[str], int]:
    """Every person's name and e-mail in the store, the description; and how many synced."""
    with db.session() as s:
        people = s.exec(select(Person)).all()
    synced = sum(p.external_id is not None for p in people)
    return {v for p in people for v in (p.name, p.email) if v} | {DESCRIPTION}, synced


def test_no_name_email_or_description_reaches_the_prefect_database(
        csv_directory, prefect_server):  # noqa: F811
    from flows.campaigns import campaigns
    from flows.incidents import incident_clock_watch
    from flows.tick import tick

    start = datetime(2027, 3, 1, 9, tzinfo=TZ)
    _start_drive(start)
    _register_breach(datetime(2027, 3, 1, 13, tzinfo=TZ))
    opening = _first_opening()
    with temporary_settings(updates={PREFECT_API_URL: prefect_server.api_url}):
        ticked = tick(now=opening.isoformat())  # the first invitation of the year
        swept = campaigns(now=datetime(2027, 3, 1, 10, tzinfo=TZ).isoformat())
        watched = incident_clock_watch(now=datetime(2027, 3, 1, 13, tzinfo=TZ).isoformat())
        drain_prefect()  # logs and events are on the server before it is searched
    # the flows did handle these people: messages went to them
    assert swept["directory"]["source"] == "csv" and swept["delivered_recipients"] == 12
    assert watched["delivered"].get("messages", 0) >= 1
    assert sum(v for k, v in ticked["delivered"].items() if k != "remaining") > 0
    needles, synced = _needles()
    assert synced == 12 and len(needles) > 2 * 12
    found = scan(prefect_server.database_path, needles)
    assert found == {}, found
    # The same search over our store finds every one of them: the search itself works.
    store = Path(get_settings().resolved_database_url.removeprefix("sqlite:///"))
    assert set().union(*scan(store, needles, tables=False).values()) == needles


# --- Issue #15 item 3: the error paths ------------------------------------------------------------

#: the marker SQLAlchemy puts before a statement's parameters (people's ids, names, addresses)
PARAMETERS = "[parameters:"


def _people() -> set[str]:
    with db.session() as s:
        return {v for p in s.exec(select(Person)).all() for v in (p.name, p.email) if v}


def _failing_run(prefect_server, run) -> None:  # noqa: F811
    """Run a flow that fails against the real server; the failure is the point."""
    with temporary_settings(updates={PREFECT_API_URL: prefect_server.api_url}):
        with pytest.raises(Exception):  # noqa: B017, PT011 - any failure; its text is scanned
            run()
        drain_prefect()


def _scan_errors(prefect_server, needles: set[str]) -> None:  # noqa: F811
    found = scan(prefect_server.database_path, needles | {PARAMETERS})
    assert found == {}, found


def test_an_unwritable_store_leaves_no_parameters_or_names_in_prefect(
        sqlite_store, prefect_server, monkeypatch):  # noqa: F811
    from flows.tick import tick

    load_example_org()
    opening = _first_opening()
    needles = _people()
    path = sqlite_store.removeprefix("sqlite:///")
    monkeypatch.setenv("ARSHJUL_DATABASE_URL", f"sqlite:///file:{path}?mode=ro&uri=true")
    get_settings.cache_clear()
    db.reset_engines()
    _failing_run(prefect_server, lambda: tick(now=opening.isoformat()))
    logs = scan(prefect_server.database_path, {"readonly database"})
    assert logs, "the failure itself must reach Prefect (the scan would prove nothing)"
    _scan_errors(prefect_server, needles)


def test_smtp_5xx_naming_each_recipient_leaves_no_address_in_prefect(
        sqlite_store, prefect_server, smtp_sink):  # noqa: F811
    from flows.tick import tick

    async def refuse(server, session, envelope, address, rcpt_options):
        return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"

    smtp_sink.handler.handle_RCPT = refuse
    load_example_org()
    opening = _first_opening()
    with temporary_settings(updates={PREFECT_API_URL: prefect_server.api_url}):
        result = tick(now=opening.isoformat())
        drain_prefect()
    assert result["delivered"].get("dead", 0) + result["delivered"].get("failed", 0) > 0
    _scan_errors(prefect_server, _people())


def test_postgresql_down_leaves_no_parameters_or_names_in_prefect(
        postgresql_store, prefect_server, monkeypatch):  # noqa: F811
    import socket

    from flows.tick import tick

    load_example_org()
    opening = _first_opening()
    needles = _people()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("ARSHJUL_DATABASE_URL",
                       f"postgresql+psycopg://postgres@127.0.0.1:{port}/arshjul")
    get_settings.cache_clear()
    db.reset_engines()
    _failing_run(prefect_server, lambda: tick(now=opening.isoformat()))
    assert scan(prefect_server.database_path, {"connection refused"})
    _scan_errors(prefect_server, needles)
