"""Every link in every message of a whole default year opens a page for its recipient: at the
time it was sent and on the last day its step can be answered, on both stores (see
tests/portal/links_year.py for how the year is played). The training step's assignments follow
the campaign into `status` and the report."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from models import db, links, roles
from models.cycle.status import step_status
from models.cycle.tables import Assignment, StepInstance
from models.settings import get_settings
from tests.portal import links_year as y
from tests.tasks.lrs_peer import PASSWORD, USER, lrs_client, running_lrs

pytestmark = pytest.mark.slow


@pytest.fixture
def lrs(tmp_path, monkeypatch):
    with running_lrs(tmp_path / "lrs") as url:
        response = lrs_client(url).post("statements", json=y.completions(),
                                        headers={"X-Experience-API-Version": "1.0.3"})
        assert response.status_code == 200
        monkeypatch.setenv("ARSHJUL_XAPI_URL", url)
        monkeypatch.setenv("ARSHJUL_XAPI_USERNAME", USER)
        monkeypatch.setenv("ARSHJUL_XAPI_PASSWORD", PASSWORD)
        get_settings.cache_clear()
        yield url


@pytest.fixture
def portal(store, smtp_sink, lrs, monkeypatch):
    monkeypatch.setenv("ARSHJUL_PORTAL_URL", y.PORTAL)
    monkeypatch.setenv("ARSHJUL_SECRET_KEY", "links-year-secret-" + "x" * 32)
    get_settings.cache_clear()
    from portal.app import create_app

    with TestClient(create_app(), base_url=y.PORTAL, follow_redirects=False) as client:
        yield client


def test_every_link_of_a_whole_year_opens_for_its_recipient_and_roles_agree(portal, smtp_sink,
                                                                           monkeypatch):
    year = y.play(portal, smtp_sink, monkeypatch)
    y.reopen_on_last_days(year, portal, monkeypatch)
    kinds = Counter(link.claims.kind for link in year.links.values())
    print(f"\n{len(smtp_sink.messages)} messages, {len(year.links)} distinct links {dict(kinds)}, "
          f"{year.opened} opened, {year.answered} answered, {len(year.refusals)} refused")
    assert year.refusals == []
    assert set(kinds) == {links.ASSIGNMENT, links.CAMPAIGN, links.CAMPAIGN_UNIT}
    assert year.opened == 2 * len(year.links) and year.answered > 0
    by_email = y.people_by_email()
    assert all(by_email[link.to] == link.claims.person_id for link in year.links.values())
    _every_recipient_kind_was_reached(year, by_email)
    _training_step_follows_the_campaign()
    _roles_and_portal_agree(portal, by_email)


def _roles_and_portal_agree(client, by_email) -> None:
    """Every kind of message the engine sent: models.roles lets its recipient open its link,
    and refuses someone else, whom the portal refuses too (it asks the same rule)."""
    with db.session() as s:
        directory = roles.load_directory(session=s)
    outsiders = {links.ASSIGNMENT: by_email[y.employees()[0].email],  # an employee, no role
                 links.CAMPAIGN_UNIT: by_email[y.employees()[0].email],
                 links.CAMPAIGN: sorted(directory.held(roles.COORDINATOR, [""]))[0]}  # no member
    sent = y.sent_links()
    assert {kind for kind, _, _ in sent} >= {"invitation", "reminder", "escalation", "receipt",
                                              "campaign-reminder"}
    for kind, recipient, link in sent:
        facts = y.facts_of(link["kind"], link["subject"], recipient)
        assert roles.may_open(recipient, facts, directory) is not None, (kind, recipient, link)
    for link_kind, subject in sorted({(link["kind"], link["subject"]) for _, _, link in sent}):
        outsider = outsiders[link_kind]
        facts = y.facts_of(link_kind, subject, outsider)
        assert roles.may_open(outsider, facts, directory) is None, (link_kind, subject)
        token = links.make_subject_token(link_kind, subject, outsider,
                                         y.at_local(date(y.YEAR + 2, 1, 1)))
        assert client.get(links.portal_url(token, kind=link_kind)).status_code == 403


def _every_recipient_kind_was_reached(year, by_email) -> None:
    with db.session() as s:
        directory = roles.load_directory(session=s)
    chefs = {pid for (role, _), held in directory.holders.items() if role == roles.CHEF
             for pid in held}
    coordinators = directory.held(roles.COORDINATOR, [""])
    dpo = directory.held(roles.DPO, [""])
    to = {link.claims.person_id for link in year.links.values()}
    assert chefs & to and coordinators & to and dpo & to
    employees = {by_email[u.email] for u in y.employees()}
    assert employees <= to  # training and password drive participants


def _training_step_follows_the_campaign() -> None:
    with db.session() as s:
        step = s.exec(select(StepInstance).where(
            StepInstance.step_id == "informationssakerhetsutbildning")).one()
        done = {a.scope_id for a in s.exec(select(Assignment).where(
            Assignment.step_instance_id == step.id, Assignment.submitted_at.is_not(None)))}
        total = len(s.exec(select(Assignment).where(Assignment.step_instance_id == step.id)).all())
        status = {r.key: r for r in step_status(y.YEAR, y.at_local(date(y.YEAR, 12, 31)),
                                                session=s)}[step.key]
        from models.report.build import build_report

        report = build_report(y.YEAR, session=s, today=date(y.YEAR, 12, 31))
    # socialförvaltningen: all done; kommunledningskontoret: 1 of 3; units without employees
    # owe nothing
    assert "socialforvaltningen" in done and "kommunledningskontoret" not in done
    assert status.submitted == len(done) == total - 1 and status.overdue == 1
    rows = {r[0]: r for s in _walk(report.sections) if s.id == "overensstammelse"
            for i in s.items if hasattr(i, "rows") for r in i.rows}
    assert rows[step.title_sv][1:3] == [str(total), str(total - 1)]


def _walk(sections):
    for section in sections:
        yield section
        yield from _walk(section.subsections)
