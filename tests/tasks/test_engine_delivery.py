"""Delivery through a real SMTP server on loopback: digests, links, reminders, escalations,
outages. Digests, reminders and escalations run on SQLite and PostgreSQL (`store`)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlmodel import select

from models import db, links
from models.notify import ledger
from models.notify.digest import Mail, sender
from models.org import Organisation, Person
from tasks.mailer import PermanentDeliveryError, SmtpSender
from tests.engine_data import assignment, local, seed, submit, submit_all_due_before, tick
from tests.smtp_sink import html_of, text_of

NOV1 = local(2027, 11, 1, 8, 0)


def quiet_start(day=date(2027, 11, 1), year=2027, language="sv"):
    seed(year, language=language)
    submit_all_due_before(day, local(2027, 1, 1, 12, 0))


def ledger_rows(**where):
    with db.session() as s:
        query = select(ledger.Notification).order_by(ledger.Notification.id)
        for key, value in where.items():
            query = query.where(getattr(ledger.Notification, key) == value)
        return list(s.exec(query))


def link_claims(body: str):
    tokens = re.findall(r"/a/([A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+)", body)
    return [links.verify_token(t, kind="assignment", now=NOV1) for t in tokens]


def test_one_digest_per_person_with_subject_body_and_link(store, smtp_sink):
    quiet_start()
    recorded, delivered = tick(NOV1)
    anna = smtp_sink.to("anna@example.se")
    assert len(anna) == 1
    addresses = {m["To"] for m in smtp_sink.messages}
    assert len(smtp_sink.messages) == delivered["messages"] == len(addresses)
    msg = anna[0]
    # riskanalys reminder (-14) and the invitation to the action-plan follow-up, in one digest
    assert msg["Subject"] == "Årshjulet, Testkommun: 2 ärenden – nytt m.m."
    # no display name configured: the organisation is the sender's name
    assert msg["From"] == "Testkommun <arshjul@example.se>"
    assert msg["Auto-Submitted"] == "auto-generated"
    body = text_of(msg)
    assert "informationssäkerhet och dataskydd i Testkommun." in body
    assert "Riskanalys (Socialförvaltningen)" in body
    assert "Sista dag: 15 november 2027 (14 dagar kvar)" in body
    assert "Syfte: Analysera risker för minst tre av förvaltningens informationstillgångar." in body
    assert "Uppföljning av handlingsplan" in body and "Sista dag: 30 november 2027" in body
    assert "Svara på riskanalys för Socialförvaltningen: http://127.0.0.1:8000/a/" in body
    assert "Svara här" not in body
    assert ">Svara på riskanalys för Socialförvaltningen</a>" in html_of(msg)
    claims = link_claims(body)
    expected = {assignment("riskanalys", "socialforvaltningen").id,
                assignment("uppfoljning-handlingsplan", "socialforvaltningen").id}
    assert {c.assignment_id for c in claims} == expected
    assert {c.person_id for c in claims} == {"anna"}
    assert link_claims(html_of(msg)) and '<a href="http://127.0.0.1:8000/a/' in html_of(msg)
    sent = ledger_rows(recipient_id="anna")
    assert {r.state for r in sent} == {"sent"}
    assert {r.digest_id for r in sent} == {msg["Message-ID"]}


def test_single_item_subject_and_english(store, smtp_sink):
    quiet_start(language="en")
    submit("uppfoljning-handlingsplan", "socialforvaltningen", NOV1 - timedelta(days=1))
    tick(NOV1)
    (msg,) = smtp_sink.to("anna@example.se")
    assert msg["Subject"] == ("Reminder: Risk analysis – Socialförvaltningen – due 15 November 2027"
                              " (Testkommun)")
    assert "Respond to the risk analysis for Socialförvaltningen: http" in text_of(msg)
    assert "Purpose: Analyse the risks to at least three of the unit's information assets." in \
        text_of(msg)
    assert msg["Content-Language"] == "en"


def test_sender_display_name_from_the_setting(sqlite_store, smtp_sink, monkeypatch):
    from models.settings import get_settings
    monkeypatch.setenv("ARSHJUL_MAIL_FROM", "Informationssäkerhet Testkommun <isk@example.se>")
    get_settings.cache_clear()
    quiet_start()
    tick(NOV1)
    msg = smtp_sink.to("anna@example.se")[0]
    assert str(msg["From"]) == "Informationssäkerhet Testkommun <isk@example.se>"
    assert msg["From"].addresses[0].addr_spec == "isk@example.se"
    assert sender("Informationssäkerhet <isk@example.se>", "Testkommun")[1] == "isk@example.se"


def test_one_smtp_connection_per_batch(sqlite_store, smtp_sink):
    quiet_start()
    _, delivered = tick(NOV1)
    assert delivered["messages"] >= 4
    assert len(smtp_sink.handler.sessions) == 1


def test_nobody_who_submitted_gets_a_reminder(store, smtp_sink):
    quiet_start()
    tick(NOV1)
    submit("riskanalys", "socialforvaltningen", local(2027, 11, 5, 10, 0))
    before = len(smtp_sink.messages)
    tick(local(2027, 11, 12, 8, 0))  # riskanalys -3
    new = smtp_sink.messages[before:]
    assert [m["To"] for m in new if "Riskanalys" in text_of(m)] == ["gustav@example.se"]
    assert not [r for r in ledger_rows(recipient_id="anna", occasion="-3")]


def test_escalation_reaches_the_chef_then_the_organisation_wide_role(store, smtp_sink):
    quiet_start()
    submit("riskanalys", "socialforvaltningen", local(2027, 11, 5, 10, 0))
    for day in (date(2027, 11, 1), date(2027, 11, 12), date(2027, 11, 15), date(2027, 11, 18),
                date(2027, 11, 29)):
        tick(local(day.year, day.month, day.day, 8, 0))
    risk = assignment("riskanalys", "kommunledningskontoret").id
    escalations = [(r.recipient_id, r.occasion, r.sent_at.date())
                   for r in ledger_rows(kind="escalation", assignment_id=risk)]
    # due Mon 15 Nov: +3 business days = Thu 18 Nov to the chef, +10 = Mon 29 Nov to the coordinator
    assert escalations == [("helena", "after:3:chef", date(2027, 11, 18)),
                           ("david", "after:10:informationssakerhetssamordnare",
                            date(2027, 11, 29))]
    (to_chef,) = [m for m in smtp_sink.to("helena@example.se") if "Försenat" in m["Subject"]]
    body = text_of(to_chef)
    assert "Riskanalys (Kommunledningskontoret)" in body
    assert "Har inte lämnat in: Kommunledningskontoret." in body
    assert "Sista dag var 15 november 2027 och inget är inlämnat." in body
    assert "Sista dag: 15 november 2027 (passerades för 3 dagar sedan)" in body
    assert re.search(r"Har inte svarat: \w", body)  # the contact person(s) of the unit, by name
    assert "Följ upp riskanalys för Kommunledningskontoret: http" in body
    assert not ledger_rows(kind="escalation", assignment_id=assignment(
        "riskanalys", "socialforvaltningen").id)


def test_board_escalation_goes_to_chefs_of_units_serving_the_board(store, smtp_sink):
    quiet_start(day=date(2027, 11, 30))
    tick(local(2027, 12, 3, 8, 0))  # efterlevnadskontroll due 30 Nov, +3 business days
    board = assignment("efterlevnadskontroll", "socialnamnden").id
    assert [r.recipient_id for r in ledger_rows(kind="escalation", assignment_id=board)] == ["bo"]
    tick(local(2027, 12, 14, 8, 0))  # +10 business days: the DPO
    assert [r.recipient_id for r in ledger_rows(kind="escalation", assignment_id=board)] == [
        "bo", "eva"]


def test_same_now_twice_sends_nothing_more(store, smtp_sink):
    quiet_start()
    tick(NOV1)
    count, rows = len(smtp_sink.messages), len(ledger_rows())
    recorded, delivered = tick(NOV1)
    assert recorded["new"] == {} and delivered.get("messages", 0) == 0
    assert (len(smtp_sink.messages), len(ledger_rows())) == (count, rows)


def test_smtp_down_loses_nothing_counts_only_what_was_tried_and_delivers_later(sqlite_store,
                                                                              smtp_sink):
    quiet_start()
    smtp_sink.stop()
    recorded, delivered = tick(NOV1)
    rows = ledger_rows()
    tried = [r for r in rows if r.state == "failed"]
    # two connections refused, then the batch stops: the rest was not attempted and says so
    assert delivered.get("messages", 0) == 0 and delivered["failed"] == len(tried) > 0
    assert delivered["not_attempted"] == len(rows) - len(tried) > 0
    assert {(r.state, r.attempts) for r in rows} == {("failed", 1), ("pending", 0)}
    assert all("SMTP" in r.last_error for r in tried)
    tick(NOV1 + timedelta(minutes=5))  # before the backoff: the failed ones are not attempted
    assert {r.attempts for r in ledger_rows() if r.id in {t.id for t in tried}} == {1}
    smtp_sink.start()
    _, delivered = tick(local(2027, 11, 2, 8, 0))
    assert {r.state for r in ledger_rows()} == {"sent"}
    people = {r.recipient_id for r in rows}
    assert sorted(m["To"] for m in smtp_sink.messages) == sorted(f"{p}@example.se" for p in people)


def test_refused_recipient_is_dead_and_reported_to_the_coordinator(sqlite_store, smtp_sink):
    quiet_start()
    smtp_sink.handler.refuse.add("gustav@example.se")
    tick(NOV1)
    dead = ledger_rows(state="dead")
    assert {r.recipient_id for r in dead} == {"gustav"} and "550" in dead[0].last_error
    # the refusal mid-batch costs no one else anything: everyone before and after gustav got
    # exactly one message on the same connection, and each is recorded as sent
    others = [r for r in ledger_rows() if r.recipient_id != "gustav"]
    assert others and {r.state for r in others} == {"sent"}
    received = sorted(m["To"] for m in smtp_sink.messages)
    assert received == sorted({f"{r.recipient_id}@example.se" for r in others})
    tick(local(2027, 11, 2, 8, 0))
    (report,) = [m for m in smtp_sink.to("david@example.se") if "Leveransfel" in m["Subject"]
                 or "levereras" in text_of(m)]
    assert "Mottagare gustav" in text_of(report)


def test_outbox_without_smtp(sqlite_store, isolated_home):
    quiet_start()
    _, delivered = tick(NOV1)
    files = sorted((isolated_home / "outbox").glob("*.eml"))
    assert len(files) == delivered["messages"] > 0
    from email import message_from_bytes, policy

    msgs = [message_from_bytes(f.read_bytes(), policy=policy.default) for f in files]
    assert all(m.is_multipart() and m["Message-ID"] for m in msgs)
    assert "anna@example.se" in {m["To"] for m in msgs}


def test_inactive_person_gets_nothing(sqlite_store, smtp_sink):
    quiet_start()
    with db.session() as s:
        s.get(Person, "anna").active = False
    tick(NOV1)
    assert smtp_sink.to("anna@example.se") == [] and not ledger_rows(recipient_id="anna")
    with db.session() as s:
        assert s.get(Organisation, 1).language == "sv"


def test_queued_items_of_someone_deactivated_are_cancelled_not_reported(sqlite_store, smtp_sink):
    quiet_start()
    from models.notify.plan import record_due

    with db.session() as s:
        record_due(NOV1, session=s)
        s.get(Person, "anna").active = False
    tick(NOV1)
    assert {r.state for r in ledger_rows(recipient_id="anna")} == {"cancelled"}
    assert smtp_sink.to("anna@example.se") == [] and not ledger_rows(state="dead")


def test_unknown_recipient_from_another_area_is_dead(sqlite_store, smtp_sink):
    quiet_start()
    item = ledger.LedgerItem("receipt", "response:1", "submitted", "nobody",
                             ledger.Content(title={"sv": "Kvittens", "en": "Receipt"}).model_dump())
    with db.session() as s:
        ledger.enqueue([item], session=s, now=NOV1)
    tick(NOV1)
    (row,) = ledger_rows(recipient_id="nobody")
    assert (row.state, row.last_error) == ("dead", "unknown recipient")


def test_another_areas_item_joins_the_same_digest(store, smtp_sink):
    quiet_start()
    alert = ledger.Content(
        title={"sv": "Anmälan till IMY inom 12 timmar", "en": "Notify IMY within 12 hours"},
        due="2027-11-01T20:00+01:00", link={"kind": "incident-report", "subject": "soc"})
    item = ledger.LedgerItem("incident-alert", "incident:17", "gdpr-72h:-12h", "anna",
                             alert.model_dump())
    with db.session() as s:
        assert ledger.enqueue([item, item], session=s, now=NOV1) == 1
    tick(NOV1)
    (msg,) = smtp_sink.to("anna@example.se")
    body = text_of(msg)
    assert "== Incidenter – lagstadgade tidsfrister ==" in body and "Riskanalys" in body
    tokens = re.findall(r"/(?:a|incident)/([A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+)", body)
    kinds = {links.verify_token(t, now=NOV1).kind for t in tokens}
    assert kinds == {"assignment", "incident-report"}  # each kind at its own portal path
    (row,) = ledger_rows(kind="incident-alert")
    assert (row.state, row.digest_id) == ("sent", msg["Message-ID"])


def test_unwritable_outbox_fails_softly_and_recovers(sqlite_store, isolated_home):
    quiet_start()
    blocker = isolated_home / "outbox"
    blocker.parent.mkdir(parents=True, exist_ok=True)
    blocker.write_text("a file where the outbox directory should be")
    _, delivered = tick(NOV1)
    assert delivered.get("messages", 0) == 0 and delivered["failed"] > 0
    assert {r.state for r in ledger_rows()} == {"failed", "pending"}  # pending: not attempted
    blocker.unlink()
    _, delivered = tick(local(2027, 11, 2, 8, 0))
    assert {r.state for r in ledger_rows()} == {"sent"}
    assert len(list(blocker.glob("*.eml"))) == delivered["messages"]


def _mail(to: str) -> Mail:
    data = (f"From: arshjul@example.se\r\nTo: {to}\r\nSubject: prov\r\n\r\nHej\r\n").encode()
    return Mail("arshjul@example.se", to, "", data)


#: Both kinds of server: one that takes a command at a time, and one that offers PIPELINING.
SERVERS = pytest.mark.parametrize("server", ["smtp_sink", "pipelining_smtp"])


@SERVERS
def test_the_sender_records_the_previous_message_before_handing_over_the_next(server, request):
    """SmtpSender.send runs `meanwhile` (the previous message's ledger mark) exactly once,
    before anything of the new message is delivered — also when the new one is refused."""
    smtp_sink = request.getfixturevalue(server)
    smtp_sink.handler.refuse.add("nej@example.se")
    seen: list[int] = []
    with SmtpSender(smtp_sink.url) as sender:
        sender.send(_mail("ett@example.se"), lambda: seen.append(len(smtp_sink.messages)))
        with pytest.raises(PermanentDeliveryError, match="550"):
            sender.send(_mail("nej@example.se"), lambda: seen.append(len(smtp_sink.messages)))
        sender.send(_mail("tva@example.se"), lambda: seen.append(len(smtp_sink.messages)))
    assert seen == [0, 1, 1]  # each ran once, before its own message went out
    assert [m["To"] for m in smtp_sink.messages] == ["ett@example.se", "tva@example.se"]
    assert len(smtp_sink.handler.sessions) == 1  # the refusal did not cost the connection


@SERVERS
def test_a_failing_ledger_mark_leaves_the_new_message_unsent_and_the_sender_usable(server,
                                                                                   request):
    smtp_sink = request.getfixturevalue(server)

    def store_down() -> None:
        raise RuntimeError("the store went away")

    with SmtpSender(smtp_sink.url) as sender:
        with pytest.raises(RuntimeError, match="store went away"):
            sender.send(_mail("ett@example.se"), store_down)
        sender.send(_mail("tva@example.se"))
    assert [m["To"] for m in smtp_sink.messages] == ["tva@example.se"]
