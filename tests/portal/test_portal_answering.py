"""Answering through the portal over HTTP: open, save, submit, edit, re-submit, close."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import select

from models import db
from models.cycle.responses import ResponseVersion, get_draft
from models.cycle.tables import Assignment
from models.notify.ledger import Notification
from models.settings import get_settings
from tests.portal.portal_data import csrf_of, link

RISK_ROWS = [
    ("Verksamhetssystem Treserva", "driftstopp", "3", "4", "Kontinuitetsplan", "Systemförvaltare"),
    ("Journalarkiv", "informationsforlust", "2", "4", "Säkerhetskopior", "Arkivarie"),
    ("Lagringsyta G:", "dataintrang", "2", "3", "Behörighetsöversyn", "IT-enheten"),
]


def risk_data(rows=RISK_ROWS) -> dict:
    cols = ("tillgang", "hot", "sannolikhet", "konsekvens", "atgard", "ansvarig")
    data = {"risker__rows": str(len(rows))}
    for index, row in enumerate(rows):
        for col, value in zip(cols, row, strict=True):
            data[f"risker__{index}__{col}"] = value
    return data


def post(client, path: str, data: dict, action: str = "submit"):
    csrf = csrf_of(client.get(path).text)
    return client.post(path, data={**data, "csrf": csrf, "action": action})


def versions(assignment_id: int) -> list[ResponseVersion]:
    with db.session() as s:
        stmt = select(ResponseVersion).where(ResponseVersion.assignment_id == assignment_id)
        return list(s.exec(stmt.order_by(ResponseVersion.version)))


def test_opening_shows_step_scope_due_and_who_else_answers(client, seeded):
    page = client.get(link(seeded["riskanalys"]))
    assert page.status_code == 200
    assert 'lang="sv"' in page.text
    for expected in (
        "Steg riskanalys",
        "Socialförvaltningen",
        "2027-11-15",
        "Anna Berg (du)",
        "Bo Ek",
        "Inte inskickat",
        "Minst 3 rader.",
    ):
        assert expected in page.text
    assert "Cia Lund" not in page.text  # contact of another unit


def test_save_draft_keeps_everything_and_shows_it_again(client, seeded):
    path = link(seeded["riskanalys"])
    data = risk_data(RISK_ROWS[:1]) | {"kommentar": "Halvfärdigt"}
    saved = post(client, path, data, action="save")
    assert saved.status_code == 303 and saved.headers["location"].endswith("?sparat=1")
    again = client.get(path + "?sparat=1").text
    assert "Utkastet är sparat." in again
    assert 'value="Verksamhetssystem Treserva"' in again and "Halvfärdigt" in again
    assert "Utkast sparat 2027-10-01 10:00 av Anna Berg." in again
    assert versions(seeded["riskanalys"]) == []


def test_submit_records_version_status_and_receipt(client, seeded):
    aid = seeded["riskanalys"]
    path = link(aid)
    done = post(client, path, risk_data())
    assert done.status_code == 303 and done.headers["location"] == path + "/kvitto"
    receipt = client.get(path + "/kvitto").text
    assert "Tack! Svaren är inskickade" in receipt and "Version 1" in receipt
    assert "Journalarkiv" in receipt and "Informationsförlust" in receipt
    [version] = versions(aid)
    assert version.submitted_by == "anna-berg"
    assert version.values["risker"][0] == {
        "tillgang": "Verksamhetssystem Treserva",
        "hot": "driftstopp",
        "sannolikhet": 3,
        "konsekvens": 4,
        "atgard": "Kontinuitetsplan",
        "ansvarig": "Systemförvaltare",
    }
    with db.session() as s:
        assignment = s.get(Assignment, aid)
        assert assignment.submitted_by == "anna-berg"
        assert assignment.submitted_at == datetime.fromisoformat("2027-10-01T08:00:00+00:00")
        [note] = s.exec(select(Notification).where(Notification.assignment_id == aid)).all()
        assert (note.kind, note.recipient_id, note.occasion) == ("receipt", "anna-berg", "v1")
        assert get_draft(aid, session=s) is None


def test_edit_and_resubmit_keeps_every_version_with_who(client, seeded):
    aid = seeded["riskanalys"]
    post(client, link(aid), risk_data())
    other = link(aid, person="bo-ek")
    page = client.get(other).text
    assert 'value="Journalarkiv"' in page and "Skicka in ändringarna" in page
    changed = [list(r) for r in RISK_ROWS] + [["E-post", "annat", "1", "2", "MFA", "IT"]]
    assert post(client, other, risk_data(changed)).status_code == 303
    first, second = versions(aid)
    assert (first.version, first.submitted_by, len(first.values["risker"])) == (1, "anna-berg", 3)
    assert (second.version, second.submitted_by, len(second.values["risker"])) == (2, "bo-ek", 4)
    assert "version 2" in client.get(other).text
    with db.session() as s:
        assert s.get(Assignment, aid).submitted_by == "anna-berg"  # the first answer counts


def test_add_and_remove_rows_without_javascript(client, seeded):
    path = link(seeded["riskanalys"])
    added = post(client, path, risk_data(), action="add-row:risker")
    assert added.status_code == 303 and added.headers["location"].endswith("#f-risker")
    page = client.get(path).text
    assert 'name="risker__3__tillgang"' in page and "Ta bort rad 4" in page
    data = risk_data() | {"risker__rows": "4", "risker__3__tillgang": "Fjärde"}
    post(client, path, data, action="remove-row:risker:0")
    page = client.get(path).text
    assert 'value="Journalarkiv"' in page and "Treserva" not in page
    assert 'name="risker__2__tillgang" value="Fjärde"' in page


def test_closed_step_is_read_only(client, seeded, monkeypatch):
    aid = seeded["riskanalys"]
    path = link(aid)
    csrf = csrf_of(client.get(path).text)
    post(client, path, risk_data())
    monkeypatch.setenv("ARSHJUL_NOW", "2027-12-16T08:00:00+01:00")  # due 11-15 + 30 days grace
    get_settings.cache_clear()
    page = client.get(path)
    assert page.status_code == 200 and "Momentet är stängt" in page.text
    assert "<form" not in page.text and "Journalarkiv" in page.text
    late = client.post(path, data={**risk_data(RISK_ROWS[:1]), "csrf": csrf, "action": "submit"})
    assert late.status_code == 409 and "Momentet är stängt" in late.text
    assert len(versions(aid)) == 1


def test_still_editable_on_the_last_day_of_grace(client, seeded, monkeypatch):
    monkeypatch.setenv("ARSHJUL_NOW", "2027-12-15T22:00:00+01:00")
    get_settings.cache_clear()
    assert post(client, link(seeded["riskanalys"]), risk_data()).status_code == 303


def test_english_organisation_gets_english_pages(portal_env):
    from fastapi.testclient import TestClient

    from portal.app import create_app
    from tests.portal.portal_data import seed

    ids = seed(language="en")
    with TestClient(create_app()) as client:
        page = client.get(link(ids["kvittens"])).text
    assert 'lang="en"' in page and "Is the step done?" in page and "Save draft" in page


def test_receipt_is_delivered_at_once_with_a_link_back(client, seeded):
    from email import message_from_bytes, policy

    from tasks.deliver import deliver_batch
    from tests.portal.portal_data import NOW

    post(client, link(seeded["riskanalys"]), risk_data())
    assert deliver_batch(NOW)["recipients"] == 0  # already delivered, right after the submit
    [eml] = list(get_settings().resolved_outbox_dir.glob("*.eml"))
    mail = message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert mail["To"].addresses[0].addr_spec == "anna-berg@example.se"
    body = mail.get_body(("plain",)).get_content()
    assert "Kvittens" in body and "version 1" in body and "/a/" in body
