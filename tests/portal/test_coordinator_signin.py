"""Sign-in to the coordinator's web view over the app (TestClient on https, real SMTP sink):
the mailed link, single use, expiry, session fixation, CSRF, enumeration, rate limit, sign-out,
and the role checks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from models import db
from models.coordinator.signin import digest
from models.coordinator.tables import SignInLink
from tests.portal.coordinator_data import ask, csrf_in, link_in, sign_in
from tests.portal.portal_data import NOW


@pytest.fixture
def web(late):
    """Not signed in (the other coordinator tests' `web`, from conftest, is)."""
    from portal.app import create_app

    with TestClient(create_app(), base_url="https://testserver", follow_redirects=False) as c:
        yield c


def test_mailed_link_signs_in_once_and_sign_out_ends_the_session(web, smtp_sink):
    assert web.get("/oversikt").headers["location"] == "/logga-in"
    path, used = sign_in(web, smtp_sink)
    assert used.status_code == 303 and used.headers["location"] == "/oversikt"
    cookie = used.headers["set-cookie"]
    assert "HttpOnly" in cookie and "Secure" in cookie and "samesite=lax" in cookie.lower()
    year = web.get("/oversikt")
    assert year.status_code == 200 and "Kontinuitetsplan" in year.text
    assert web.get(path).status_code == 410  # replay: the link is used
    assert web.post(path, data={"csrf": csrf_in(year.text)}).status_code in (403, 410)
    out = web.post("/logga-ut", data={"csrf": csrf_in(year.text)})
    assert out.status_code == 303
    assert web.get("/oversikt").headers["location"] == "/logga-in"


def test_replayed_link_with_its_own_csrf_starts_no_second_session(web, smtp_sink):
    path, _ = sign_in(web, smtp_sink)
    web.cookies.clear()
    from portal.security import csrf_token
    from tests.portal.portal_data import SECRET

    again = web.post(path, data={"csrf": csrf_token("signin-link:" + path.rsplit("/", 1)[1],
                                                     SECRET)})
    assert again.status_code == 410 and "redan använd" in again.text
    assert web.get("/oversikt").status_code == 303


def test_expired_link_is_refused(web, smtp_sink):
    ask(web, "dan-samordnare@example.se")
    path = link_in(smtp_sink.messages[-1])
    with db.session() as s:
        row = s.get(SignInLink, digest(path.rsplit("/", 1)[1]))
        row.expires_at = NOW - timedelta(minutes=1)
        s.add(row)
    page = web.get(path)
    assert page.status_code == 410 and "gått ut" in page.text


def test_session_fixation_a_planted_cookie_is_replaced(web, smtp_sink):
    web.cookies.set("arshjul_samordning", "planted-by-attacker", domain="testserver")
    _, used = sign_in(web, smtp_sink)
    assert "planted-by-attacker" not in used.headers["set-cookie"]
    attacker = TestClient(web.app, base_url="https://testserver", follow_redirects=False)
    attacker.cookies.set("arshjul_samordning", "planted-by-attacker", domain="testserver")
    assert attacker.get("/oversikt").status_code == 303


def test_enumeration_known_and_unknown_addresses_get_the_same_page(web, smtp_sink):
    known = ask(web, "dan-samordnare@example.se")
    unknown = ask(web, "nobody@example.se")
    not_allowed = ask(web, "bo-ek@example.se")  # a contact: no role for the web view
    assert known.status_code == unknown.status_code == not_allowed.status_code == 200
    assert known.text == unknown.text == not_allowed.text
    assert [m["To"] for m in smtp_sink.messages] == ["dan-samordnare@example.se"]


def test_rate_limit_per_address_is_the_same_for_known_and_unknown(web, smtp_sink):
    for address in ("dan-samordnare@example.se", "nobody@example.se"):
        codes = [ask(web, address).status_code for _ in range(6)]
        assert codes == [200] * 5 + [429], (address, codes)
    assert len(smtp_sink.messages) == 5


@pytest.mark.parametrize("path", ["/logga-in", "/logga-in/any-link-token", "/logga-ut",
                                  "/oversikt/paminn/1", "/organisation/ny",
                                  "/organisation/ersatt", "/organisation/person/bo-ek",
                                  "/incidenter/ny", "/incidenter/1"])
def test_every_post_needs_the_csrf_value(web, smtp_sink, path):
    sign_in(web, smtp_sink)
    page = web.get("/oversikt")
    assert page.status_code == 200
    refused = web.post(path, data={"email": "dan-samordnare@example.se", "back": "/oversikt"})
    assert refused.status_code == 403
    forged = web.post(path, data={"csrf": csrf_in(page.text)},
                      headers={"origin": "https://evil.example", "sec-fetch-site": "cross-site"})
    assert forged.status_code == 403


def test_a_chef_sees_only_their_unit(web, smtp_sink, late):
    sign_in(web, smtp_sink, "eva-chef@example.se")
    own = web.get("/oversikt/enhet/socialforvaltningen")
    assert own.status_code == 200 and "Anna Berg" in own.text
    assert web.get("/oversikt/enhet/kommunledningskontoret").status_code == 403
    step = web.get("/oversikt/steg/kontinuitetsplanering-sen")
    assert "Socialförvaltningen" in step.text and "Kommunledningskontoret" not in step.text
    assert web.get("/organisation").status_code == 403
    assert web.get("/organisation/export.yaml").status_code == 403
    for page in ("/incidenter", "/kampanjer", f"/svar/{late['kommunledningskontoret']}",
                 "/oversikt/steg/kontinuitetsplanering-sen/svar.csv?ar=2027"):
        assert web.get(page).status_code == 403, page
    other = late["kommunledningskontoret"]
    assert web.post(f"/oversikt/paminn/{other}",
                    data={"csrf": csrf_in(own.text)}).status_code == 403
