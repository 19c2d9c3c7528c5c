"""The action plan as records: activities, adoption, follow-up from the units' answers, carry-over
with history, risk measures taken in, and the follow-up form pre-filled per unit (both stores)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlmodel import select

from models import db
from models.cycle.responses import submit
from models.errors import InputError
from models.records.followup import follow_up, prefill
from models.records.plan import activities, add_activity, adopt, adoption, draft_next
from models.records.tables import PlanActivity
from tests.engine_data import assignment, seed

NOW = datetime(2027, 1, 10, 9, tzinfo=UTC)
SOCIAL, KLK = "socialforvaltningen", "kommunledningskontoret"


def _plan_2027() -> None:
    with db.session() as s:
        add_activity(2027, "Revidera kontinuitetsplanen", session=s, now=NOW, unit_id=SOCIAL,
                     responsible="Anna Test", due=date(2027, 10, 31), answers="risk:Journal")
        add_activity(2027, "Logga behörigheter", session=s, now=NOW, unit_id=SOCIAL)
        add_activity(2027, "Utbilda chefer", session=s, now=NOW, unit_id=KLK,
                     answers="infosakkollen:ledningens_engagemang")


def _answer(step: str, scope: str, form: str, values: dict) -> None:
    row = assignment(step, scope)
    with db.session() as s:
        submit(s.get(type(row), row.id), form, values, "anna", session=s,
               now=datetime(2027, 11, 20, 9, tzinfo=UTC))


def test_bad_activity_is_refused_with_the_field_named(store):
    seed()
    with db.session() as s, pytest.raises(InputError) as caught:
        add_activity(2027, " ", session=s, now=NOW, unit_id="nope", status="klar",
                     answers="gissning:x")
    problems = "\n".join(caught.value.problems)
    for field in ("--title", "--unit: 'nope'", "--status: 'klar'", "--answers"):
        assert field in problems
    with db.session() as s:
        assert activities(2027, session=s) == []
        with pytest.raises(InputError, match="--decision"):
            adopt(2027, "KS förra veckan", session=s, now=NOW)


def test_adoption_is_a_version_with_the_decision(store):
    seed()
    _plan_2027()
    with db.session() as s:
        first = adopt(2027, "KS 2026-12-14 §220", session=s, now=NOW)
        second = adopt(2027, "KS 2027-02-01 § 12", session=s, now=NOW)
    with db.session() as s:
        newest = adoption(2027, session=s)
    assert (first.version, second.version, newest.version) == (1, 2, 2)
    assert (newest.body, newest.decided_on, newest.paragraph) == ("KS", date(2027, 2, 1), "12")
    assert {a["title"] for a in newest.activities} == {
        "Revidera kontinuitetsplanen", "Logga behörigheter", "Utbilda chefer"}


def test_follow_up_form_starts_with_the_units_own_activities(store):
    seed()
    _plan_2027()
    social = assignment("uppfoljning-handlingsplan", SOCIAL)
    klk = assignment("uppfoljning-handlingsplan", KLK)
    with db.session() as s:
        values, note = prefill(social.id, "sv", session=s)
        other, _note = prefill(klk.id, "sv", session=s)
        assert prefill(assignment("riskanalys", SOCIAL).id, "sv", session=s) is None
    assert [r["aktivitet"] for r in values["aktiviteter"]] == [
        "Revidera kontinuitetsplanen", "Logga behörigheter"]
    assert [r["aktivitet"] for r in other["aktiviteter"]] == ["Utbilda chefer"]
    assert "2 aktiviteter ur handlingsplanen 2027" in note


def test_not_done_carries_over_with_history_and_chosen_risk_measures_come_along(store):
    seed()
    _plan_2027()
    _answer("uppfoljning-handlingsplan", SOCIAL, "handlingsplan-status", {"aktiviteter": [
        {"aktivitet": "revidera  Kontinuitetsplanen", "status": "paborjad", "flyttas": True,
         "kommentar": "Halvvägs"},
        {"aktivitet": "Logga behörigheter", "status": "ej-paborjad", "flyttas": False},
        {"aktivitet": "Kryptera USB-minnen", "status": "genomford"},
    ]})
    risks = [{"tillgang": "Journal", "hot": "driftstopp", "sannolikhet": 3, "konsekvens": 4,
              "atgard": "Reservrutin för journalen", "ansvarig": "IT", "handlingsplan": True},
             {"tillgang": "Fil", "hot": "annat", "sannolikhet": 1, "konsekvens": 1,
              "atgard": "Inget", "ansvarig": "IT", "handlingsplan": False}]
    _answer("riskanalys", KLK, "riskanalys", {"risker": risks})
    with db.session() as s:
        followed = {f.title: f for f in follow_up(2027, session=s)}
        assert followed["Revidera kontinuitetsplanen"].status == "paborjad"
        assert followed["Kryptera USB-minnen"].unit_id == SOCIAL  # the unit's own addition
        assert followed["Utbilda chefer"].status == "ej-paborjad"  # nobody answered for it
        assert draft_next(2027, session=s, now=NOW) == (2, 1)
        assert draft_next(2027, session=s, now=NOW) == (0, 0)  # re-run adds nothing twice
    with db.session() as s:
        rows = {r.title: r for r in s.exec(select(PlanActivity).where(PlanActivity.year == 2028))}
        assert set(rows) == {"Revidera kontinuitetsplanen", "Utbilda chefer",
                             "Reservrutin för journalen"}
        carried = rows["Revidera kontinuitetsplanen"]
        assert (carried.unit_id, carried.status, carried.due) == (SOCIAL, "paborjad",
                                                                  date(2028, 10, 31))
        assert (carried.answers_kind, carried.answers_ref) == ("risk", "Journal")
        risk = rows["Reservrutin för journalen"]
        assert (risk.unit_id, risk.answers_kind, risk.answers_ref) == (KLK, "risk",
                                                                       "Journal: driftstopp")
        history = {f.title: f.history for f in follow_up(2028, session=s)}
    assert history["Revidera kontinuitetsplanen"] == [(2027, "paborjad", "Halvvägs")]
    assert history["Reservrutin för journalen"] == []


def test_the_coordinator_sets_the_status_of_the_organisations_activity(store):
    from models.records.plan import set_status

    seed()
    with db.session() as s:
        row = add_activity(2027, "Anta ny policy", session=s, now=NOW)
        with pytest.raises(InputError) as caught:
            set_status(row.id, "klar", None, session=s)
        assert caught.value.problems[0].startswith("--status: 'klar' ska vara en av")
        set_status(row.id, "genomford", "Antagen av KF", session=s)
    with db.session() as s:
        [item] = follow_up(2027, session=s)
        assert (item.unit_id, item.status, item.comment) == ("", "genomford", "Antagen av KF")
        assert draft_next(2027, session=s, now=NOW) == (0, 0)
