"""Issue #15 items 1 and 12: hostile text through every place an answer, a name or an incident
field is shown again, on both stores.

A contact answers the risk analysis through the portal with markup and control characters, the
organisation file gave a person and a unit names with markup (and the unit a line break that would
start a new iCalendar property), and an incident is reported with markup in its description. Then
every place that shows them again is read as its reader would: the portal's pages and receipt, the
mails' HTML, the report's HTML and DOCX, the csv/xlsx/json exports, the calendar feed and the
markdown of Prefect's artifacts. Markup is shown as text everywhere, never as markup; the exports
and the DOCX are written (the control characters replaced), and the feed has no injected property.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from icalendar import Calendar
from sqlmodel import select

from models import db
from models.cycle.export import export_responses
from models.cycle.status import step_status
from models.links import make_subject_token
from models.org import Person, Unit
from models.settings import get_settings
from tests.portal.portal_data import NOW, SECRET, csrf_of, link
from tests.portal.test_portal_answering import risk_data

SCRIPT = "<script>alert(1)</script>"
ATTACK = SCRIPT + '"><img src=x onerror=alert(2)>'
ANSWER = ATTACK + "\x00\x01\x0b slut"
STORED = ATTACK + "    slut"  # each control character became a space
NAME = "Anna <b>Berg</b>" + SCRIPT
UNIT = "Social<i>förvaltningen</i>" + SCRIPT + "\r\nX-INJECTED:1"
DESCRIPTION = "Pärm borttappad " + ATTACK + "\x0b"
RAW = ("<script", "<img", "<b>", "<i>")
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def no_markup(html: str) -> None:
    """Nothing hostile is markup in `html` (no tag of ours opens in the hostile text)."""
    for raw in RAW:
        assert raw not in html, (raw, html[max(0, html.find(raw) - 200): html.find(raw) + 200])


def shown_escaped(html: str) -> None:
    no_markup(html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def strings(value) -> set[str]:
    """Every string inside a JSON value."""
    if isinstance(value, str):
        return {value}
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    return set().union(*(strings(v) for v in items)) if items else set()


@pytest.fixture
def hostile(client, seeded):
    """The seeded organisation with hostile names and a hostile risk analysis submitted."""
    with db.session() as s:
        s.get(Person, "anna-berg").name = NAME
        s.get(Unit, "socialforvaltningen").name = UNIT
    rows = [(ANSWER, "driftstopp", "3", "4", ANSWER, "=HYPERLINK(\"http://x\")")] + [
        (f"Tillgång {i}", "annat", "1", "1", "Åtgärd", "Ägare") for i in range(2)
    ]
    path = link(seeded["riskanalys"])
    csrf = csrf_of(client.get(path).text)
    done = client.post(path, data={**risk_data(rows), "csrf": csrf, "action": "submit"})
    assert done.status_code == 303, done.text[:2000]
    return path


def test_portal_pages_and_receipt_show_the_text_not_the_markup(client, hostile):
    page = client.get(hostile)
    assert page.status_code == 200
    shown_escaped(page.text)
    assert "Anna &lt;b&gt;Berg&lt;/b&gt;" in page.text or "Social&lt;i&gt;" in page.text
    receipt = client.get(hostile + "/kvitto")
    assert receipt.status_code == 200
    shown_escaped(receipt.text)
    assert not CONTROL.search(page.text + receipt.text)


def test_receipt_mail_html_shows_the_text_not_the_markup(client, hostile):
    from tasks.deliver import deliver_batch

    deliver_batch(NOW)  # the portal delivers receipts at once; this sends anything left over
    [eml] = list(get_settings().resolved_outbox_dir.glob("*.eml"))
    mail = message_from_bytes(eml.read_bytes(), policy=policy.default)
    html = mail.get_body(("html",)).get_content()
    no_markup(html)
    assert "&lt;b&gt;" in html or "&lt;script&gt;" in html  # the name or unit is shown, escaped


def test_report_html_escapes_and_docx_is_written(client, hostile):
    from models.report.build import build_report
    from models.report.render import render, render_html

    with db.session() as s:
        report = build_report(2027, session=s, today=NOW.date())
    html = render_html(report)
    shown_escaped(html)
    document = render(report, "docx")
    with zipfile.ZipFile(io.BytesIO(document)) as docx:
        body = docx.read("word/document.xml").decode("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_exports_are_written_with_the_text_and_without_control_characters(client, hostile):
    from openpyxl import load_workbook

    csv_text = export_responses("riskanalys", year=2027, fmt="csv", to_file=False)
    cells = [c for row in csv.reader(io.StringIO(csv_text)) for c in row]
    assert STORED in cells and not CONTROL.search(csv_text)
    assert "'=HYPERLINK(\"http://x\")" in cells  # formulas stay text
    book = load_workbook(io.BytesIO(export_responses("riskanalys", year=2027, fmt="xlsx",
                                                     to_file=True)))
    cells = [str(c) for row in book.active.iter_rows(values_only=True) for c in row if c]
    assert any(ATTACK in c for c in cells)
    records = json.loads(export_responses("riskanalys", year=2027, fmt="json", to_file=False))
    assert STORED in strings(records)


def test_calendar_feed_keeps_the_name_as_one_text_value(client, hostile):
    from models.cycle.calendar_feed import person_feed

    with db.session() as s:
        feed = person_feed("anna-berg", session=s, now=NOW)
    calendar = Calendar.from_ical(feed)
    events = list(calendar.walk("VEVENT"))
    assert events
    for component in calendar.walk():
        assert "X-INJECTED" not in component, component.to_ical()[:500]
    assert any("Social<i>förvaltningen</i>" in str(e.get("summary", "")) + str(
        e.get("description", "")) for e in events)


def test_incident_pages_and_alert_mail_show_the_text_not_the_markup(client, hostile):
    from models.incidents.alerts import record_alerts
    from models.incidents.register import Incident
    from tasks.deliver import deliver_batch

    url = "/incident/" + make_subject_token(
        "incident-report", "socialforvaltningen", "anna-berg", NOW + timedelta(days=30),
        secret=SECRET)
    csrf = csrf_of(client.get(url).text)
    done = client.post(url, data={
        "csrf": csrf, "category": "personuppgiftsincident", "aware_at": "2027-10-01T09:00",
        "description": DESCRIPTION, "personal_data": "1"})
    assert done.status_code == 303, done.text[:2000]
    confirmation = client.get(done.headers["location"])
    no_markup(confirmation.text)
    with db.session() as s:
        (incident,) = s.exec(select(Incident)).all()
        assert incident.description == "Pärm borttappad " + ATTACK
        record_alerts(NOW + timedelta(hours=1), session=s)
    deliver_batch(NOW + timedelta(hours=1))
    htmls = [message_from_bytes(p.read_bytes(), policy=policy.default)
             .get_body(("html",)).get_content()
             for p in get_settings().resolved_outbox_dir.glob("*.eml")]
    assert htmls
    for html in htmls:
        no_markup(html)


def test_prefect_artifacts_carry_no_name_or_answer(client, hostile):
    from tasks.artifacts import cycle_markdown
    from tasks.record import tick_markdown

    with db.session() as s:
        rows = step_status(2027, NOW, session=s)
    text = cycle_markdown(2027, rows, NOW) + tick_markdown("tick", {"new": {"receipt": 1}},
                                                           {"sent:receipt": 1}, {})
    for needle in ("script", "Anna", "Social", "img"):
        assert needle not in text
