"""The registers: rows checked as their forms check them, refused with the field named; review
reminders before an agreement's review date, once each and on business days; the report sections."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlmodel import select

from models import db
from models.errors import InputError
from models.notify.ledger import Notification
from models.records.registers import add_entry, entries, on_submitted
from models.records.reminders import due_reminders, record_reminders
from models.report.build import build_report
from models.report.content import Bullets, Paragraph, Table
from tests.engine_data import local, seed, tick
from tests.models.report.report_year_data import walk

NOW = datetime(2027, 1, 20, 9, tzinfo=UTC)
SOCIAL = "socialforvaltningen"
TEAMS = {"tjanst": "Teams", "leverantor": "Microsoft", "personuppgifter": "ja",
         "tredjeland": "ja", "land": "USA", "rattslig_grund": "scc", "tia": "nej",
         "pub_avtal": "ja", "granskas": "2027-03-15"}


def _add(name: str, scope: str, fields: dict) -> None:
    with db.session() as s:
        add_entry(name, scope, fields, session=s, now=NOW)


def test_bad_rows_are_refused_with_the_field_named(store):
    seed(2027)
    cases = [
        ("molntjanster", SOCIAL, TEAMS | {"rattslig_grund": "avtal"}, "--set rattslig_grund:"),
        ("molntjanster", SOCIAL, TEAMS | {"granskas": "15 mars"}, "--set granskas: Ange ett datum"),
        ("molntjanster", SOCIAL, TEAMS | {"farg": "blå"}, "--set farg: okänt fält"),
        ("molntjanster", "saknas", TEAMS, "--scope: 'saknas' är ingen förvaltning"),
        ("informationstillgangar", SOCIAL, {"tillgang": "Journal", "konfidentialitet": "4",
                                            "riktighet": "1", "tillganglighet": "1"},
         "--set konfidentialitet: Välj ett värde från 0 till 3"),
        ("behandlingar", "socialnamnden", {"behandling": "Journalföring"}, "--set andamal: Svara"),
        ("nis2-organisation", SOCIAL, {"beskrivning": "x", "typ": "registrering",
                                       "datum": "2027-01-10", "bevis": "Dnr 1"}, "--scope:"),
        ("kassaskap", SOCIAL, {}, "REGISTER: 'kassaskap' ska vara en av"),
    ]
    for name, scope, fields, wanted in cases:
        with pytest.raises(InputError) as caught:
            _add(name, scope, fields)
        assert any(p.startswith(wanted) for p in caught.value.problems), caught.value.problems
    with db.session() as s:
        assert entries("molntjanster", session=s) == []


def test_a_row_of_the_same_name_is_changed_and_a_review_replaces_the_scope(store):
    seed(2027)
    _add("molntjanster", SOCIAL, TEAMS)
    _add("molntjanster", SOCIAL, TEAMS | {"tia": "ja", "granskas": "2027-06-01"})
    _add("molntjanster", "kommunledningskontoret", TEAMS | {"tjanst": "Zoom"})
    with db.session() as s:
        rows = entries("molntjanster", session=s, scope=SOCIAL)
        assert [(r.key, r.data["tia"], r.review_on) for r in rows] == [
            ("Teams", True, date(2027, 6, 1))]
        kept = on_submitted("register-molntjanster", "unit", SOCIAL, {"poster": [
            {"tjanst": "Skolplattform", "leverantor": "Edu AB", "personuppgifter": True,
             "tredjeland": False, "pub_avtal": True}]}, session=s, now=NOW, by="anna")
    assert kept == 1
    with db.session() as s:
        assert [r.key for r in entries("molntjanster", session=s)] == ["Zoom", "Skolplattform"]


def test_reminders_take_the_latest_offset_reached_and_stop_after_the_date():
    review = date(2027, 3, 15)
    assert due_reminders([(1, review)], date(2027, 2, 12)) == []
    assert [d.offset for d in due_reminders([(1, review)], date(2027, 2, 13))] == [-30]
    assert [d.offset for d in due_reminders([(1, review)], date(2027, 3, 10))] == [-7]
    assert [d.offset for d in due_reminders([(1, review)], date(2027, 3, 15))] == [0]
    assert due_reminders([(1, review)], date(2027, 4, 15)) == []


def test_review_reminders_are_mailed_once_each_on_business_days(store):
    seed(2027)
    _add("molntjanster", SOCIAL, TEAMS)
    with db.session() as s:
        assert record_reminders(local(2027, 2, 13, 9), session=s)["due"] == 0  # a Saturday
        assert record_reminders(local(2027, 2, 15, 7), session=s)["due"] == 0  # before 08:00
    tick(local(2027, 2, 15, 8))
    tick(local(2027, 2, 15, 14))  # the same offset again: nothing new
    with db.session() as s:
        sent = s.exec(select(Notification).where(Notification.kind == "register-review")).all()
    assert sorted((n.recipient_id, n.occasion, n.state) for n in sent) == [
        ("anna", "2027-03-15:-30", "sent"), ("eva", "2027-03-15:-30", "sent")]
    mails = {m["To"]: m.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
             for m in _outbox()}
    for person in ("anna@example.se", "eva@example.se"):
        assert "Granska avtalet för Teams (Molntjänster och tredjelandsöverföringar) " \
               "(Socialförvaltningen)\n  Sista dag: 15 mars 2027" in mails[person]
        # a contact has no command line: the note says whom to tell, not which command to run
        assert "meddela samordnaren" in mails[person]
        assert "arshjul " not in mails[person]


def _outbox():
    import email
    from email import policy

    from models.settings import get_settings

    for path in get_settings().resolved_outbox_dir.glob("*.eml"):
        yield email.message_from_bytes(path.read_bytes(), policy=policy.default)


def test_report_shows_the_registers_and_what_to_act_on(store):
    seed(2027)
    _add("molntjanster", SOCIAL, TEAMS)
    _add("molntjanster", SOCIAL, TEAMS | {"tjanst": "Dropbox", "rattslig_grund": "saknas",
                                         "pub_avtal": "nej", "granskas": "2028-05-01"})
    _add("informationstillgangar", SOCIAL, {"tillgang": "Journal", "konfidentialitet": "3",
                                            "riktighet": "3", "tillganglighet": "2",
                                            "personuppgifter": "ja"})
    _add("nis2", SOCIAL, {"verksamhet": "Hemsjukvård", "sektor": "halso-och-sjukvard",
                          "omfattas": "ja", "bevis": "Analys 2027-01-12"})
    _add("nis2-organisation", "", {"beskrivning": "Anmälan till MCF", "typ": "registrering",
                                   "datum": "2027-01-18", "bevis": "Dnr KS 2027/12"})
    _add("behandlingar", "socialnamnden", {"behandling": "Journalföring", "andamal": "Vård",
                                           "rattslig_grund": "rattslig-forpliktelse",
                                           "dpia_behovs": "ja", "dpia_gjord": "2026-11-02"})
    with db.session() as s:
        report = build_report(2027, session=s, today=date(2027, 12, 1))
    sections = {s.id: s for s in walk(report.sections)}
    law = sections["lag-dataskydd"].items
    cloud = next(i for i in law if isinstance(i, Table) and i.caption.startswith("Moln"))
    assert cloud.rows[0][:3] == ["Socialförvaltningen", "Dropbox", "Microsoft"]
    assert next(i for i in law if isinstance(i, Bullets)).items == [
        "1 tredjelandsöverföringar utan rättslig grund",
        "1 överföringar på standardavtalsklausuler utan överföringsbedömning (TIA)",
        "1 tjänster med personuppgifter utan personuppgiftsbiträdesavtal",
        "1 avtal med granskningsdatum under året"]
    boards = next(i for i in law if isinstance(i, Table) and i.caption == "Registerförteckningar")
    assert boards.rows == [["Socialnämnden", "1", "1", "1", "Nej"]]
    nis2 = sections["lag-informationssakerhet"].items
    assert [i.rows[0][:4] for i in nis2 if isinstance(i, Table)][0] == [
        "Socialförvaltningen", "Hemsjukvård", "Hälso- och sjukvård", "Ja"]
    assert any(isinstance(i, Paragraph) and "ledningens utbildning" in i.text for i in nis2)
    assets = [i for i in sections["klassning"].items if isinstance(i, Table)][-1]
    assert assets.rows == [["Socialförvaltningen", "1", "1", "3"]]
