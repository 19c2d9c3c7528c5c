"""Two consecutive years of the action plan through the engine, the portal and the command line.

2027: the coordinator adds the plan's activities and records its adoption on the command line; the
tick of 1 November mails the units their follow-up links; each contact opens the form (already
filled with the unit's own activities) and submits it over HTTP. One activity is only started.
The draft for 2028 carries it over; the board adopts the 2028 plan; the tick of 1 November 2028
mails the new links; the form shows the carried activity, the contact reports it done, and the
2028 report prints the decision and, in Bilaga 1, the activity with its 2027 history.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from cli.demo_contacts import Contacts
from cli.main import app
from models import db
from models.cycle.planning import plan_cycle
from models.report.build import build_report
from models.report.content import Paragraph, Table
from models.report.render import render
from models.settings import get_settings
from tests.engine_data import local, seed, tick
from tests.models.report.report_year_data import walk

PORTAL = "http://testserver"
SOCIAL, KLK = "socialforvaltningen", "kommunledningskontoret"
CARRIED = "Revidera kontinuitetsplanen"
#: unit → what its contact reports, per year: title → (status, carry over)
REPORTED = {
    2027: {SOCIAL: {CARRIED: ("paborjad", True), "Logga behörigheter": ("genomford", False)},
           KLK: {"Utbilda chefer": ("genomford", False)}},
    2028: {SOCIAL: {CARRIED: ("genomford", False)},
           KLK: {"Ny loggningsrutin": ("genomford", False)}},  # the unit's own addition
}


def _cli(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def _set_clock(monkeypatch, at: datetime) -> None:
    monkeypatch.setenv("ARSHJUL_NOW", at.isoformat())
    get_settings.cache_clear()


class FollowUp:
    """The units' contacts: they read the year's follow-up links and answer what REPORTED says."""

    def __init__(self, client: TestClient) -> None:
        self.contacts = Contacts(client, get_settings().resolved_outbox_dir, everyone="prompt",
                                 answers=self.answer)
        self.client, self.year, self.pages = client, 0, {}

    def answer(self, aid: int, form, today: date) -> dict:
        from models.cycle.tables import Assignment

        with db.session() as s:
            unit = s.get(Assignment, aid).scope_id
        rows = REPORTED[self.year].get(unit, {})
        return {"aktiviteter": [{"aktivitet": t, "status": st, "flyttas": carry, "kommentar": ""}
                                for t, (st, carry) in rows.items()]}

    def run(self, monkeypatch, year: int) -> None:
        self.year, at = year, local(year, 11, 1, 8)
        _set_clock(monkeypatch, at)
        tick(at)
        with db.session() as s:
            self.contacts.read_mail(at, session=s)
        mine = {a: p for a, p in self.contacts.pending.items() if p.form == "handlingsplan-status"}
        self.contacts.pending = mine
        for aid, item in mine.items():
            self.pages[(year, aid)] = self.client.get(f"/a/{item.token}").text
        assert len(mine) == 2
        assert self.contacts.answer_due(date(year, 11, 2)) == 2 and self.contacts.failed == 0
        _set_clock(monkeypatch, local(year, 11, 2, 9))


@pytest.fixture
def two_years(store, monkeypatch):
    from portal.app import create_app

    monkeypatch.setenv("ARSHJUL_PORTAL_URL", PORTAL)
    monkeypatch.setenv("ARSHJUL_SECRET_KEY", "two-years-secret-" + "x" * 32)
    _set_clock(monkeypatch, local(2027, 1, 10, 9))
    seed(2027)
    _cli("actionplan", "add", "--year", "2027", "--title", CARRIED, "--unit", SOCIAL,
         "--responsible", "Anna Test", "--due", "2027-10-31", "--answers", "risk:Journalsystem")
    _cli("actionplan", "add", "--year", "2027", "--title", "Logga behörigheter", "--unit", SOCIAL)
    _cli("actionplan", "add", "--year", "2027", "--title", "Utbilda chefer", "--unit", KLK)
    _cli("actionplan", "adopt", "--year", "2027", "--decision", "KS 2026-12-14 §220")
    with TestClient(create_app(), base_url=PORTAL, follow_redirects=False) as client:
        units = FollowUp(client)
        units.run(monkeypatch, 2027)
        _set_clock(monkeypatch, local(2027, 11, 20, 9))
        drafted = _cli("actionplan", "draft", "--year", "2027")
        adopted = _cli("actionplan", "adopt", "--year", "2028", "--decision", "KS 2027-12-14 §221")
        with db.session() as s:
            plan_cycle(2028, session=s)
        units.run(monkeypatch, 2028)
    with db.session() as s:
        report = build_report(2028, session=s, today=date(2028, 12, 10))
    return {"pages": units.pages, "drafted": drafted, "adopted": adopted, "report": report}


def _section(report, sid):
    return next(s for s in walk(report.sections) if s.id == sid)


def test_each_year_the_form_starts_with_the_units_activities(two_years):
    pages = two_years["pages"]
    first = [p for (y, _a), p in pages.items() if y == 2027]
    second = [p for (y, _a), p in pages.items() if y == 2028]
    social_2027 = next(p for p in first if CARRIED in p)
    assert 'value="Logga behörigheter"' in social_2027
    assert "förifyllt med förvaltningens 2 aktiviteter ur handlingsplanen 2027" in social_2027
    social_2028 = next(p for p in second if CARRIED in p)
    assert "Logga behörigheter" not in social_2028  # done in 2027: not carried
    assert "1 av dem är överförda från tidigare år" in social_2028
    # The other unit finished its only activity: its 2028 form starts empty.
    assert not any("förifyllt" in p for p in second if CARRIED not in p)
    assert "Utkast 2028: 1 aktiviteter överförda från 2027" in two_years["drafted"]
    assert "Handlingsplan 2028 version 1 antagen (KS 2027-12-14 §221), 1 aktiviteter" in (
        two_years["adopted"])


def test_the_next_years_report_prints_the_decision_and_the_history(two_years):
    report = two_years["report"]
    follow_up = _section(report, "uppfoljning").items
    decision = next(i.text for i in follow_up if isinstance(i, Paragraph))
    assert decision.startswith("KS fastställde den 14 december 2027, § 221, handlingsplan för "
                               "informationssäkerhet och dataskydd 2028")
    appendix = [i for i in _section(report, "bilaga1").items if isinstance(i, Table)]
    assert [t.caption for t in appendix] == ["Kommunledningskontoret", "Socialförvaltningen"]
    assert [r[0] for r in appendix[0].rows] == ["Ny loggningsrutin"]
    row = dict(zip(appendix[1].headers, appendix[1].rows[0], strict=True))
    assert row == {"Aktivitet": CARRIED, "Ansvarig": "Anna Test", "Klart senast": "2028-10-31",
                   "Status": "Genomförd", "Kommentar": "", "Historik": "2027: Påbörjad"}
    markdown = render(report, "md").decode()
    row = "| Revidera kontinuitetsplanen | Anna Test | 2028-10-31 | Genomförd |  | 2027: Påbörjad |"
    assert row in markdown
    assert "§ 221" in markdown


def test_the_plan_exports_with_history(two_years, tmp_path):
    from openpyxl import load_workbook

    csv = _cli("actionplan", "list", "--year", "2028", "--format", "csv")
    assert f"{SOCIAL},{CARRIED},Anna Test,2028-10-31,Genomförd,,risk:Journalsystem,2027: Påbörjad" \
        in csv
    _cli("actionplan", "list", "--year", "2028", "--format", "xlsx", "-o", str(tmp_path / "p.xlsx"))
    sheet = load_workbook(tmp_path / "p.xlsx").active
    assert [c.value for c in sheet[2]][2] == CARRIED


def test_bad_decision_and_unknown_unit_exit_2_naming_the_option(store):
    seed(2027)
    result = CliRunner().invoke(app, ["actionplan", "add", "--year", "2027", "--title", "X",
                                      "--unit", "saknas"])
    assert result.exit_code == 2 and "fel: --unit: 'saknas' finns inte" in result.output
    result = CliRunner().invoke(app, ["actionplan", "adopt", "--year", "2027", "--decision", "KS"])
    assert result.exit_code == 2 and "fel: --decision: 'KS' ska skrivas" in result.output
