"""OpenID Connect sign-in against a real provider on loopback (pyop, tests/oidc_provider.py):
code flow with PKCE, the ID token checked, the e-mail matched to the organisation file."""

from __future__ import annotations

import re

import httpx
import pytest
from fastapi.testclient import TestClient

from models.settings import get_settings
from tests.oidc_provider import running_provider
from tests.portal.coordinator_data import seed_coordination

PORTAL = "https://testserver"
USERS = {"dan": {"email": "dan-samordnare@example.se", "name": "Dan Samordnare"},
         "bo": {"email": "bo-ek@example.se", "name": "Bo Ek"}}


@pytest.fixture
def provider(portal_env, smtp_sink, monkeypatch, tmp_path):
    seed_coordination()
    with running_provider(USERS, f"{PORTAL}/logga-in/oidc/svar", tmp_path) as op:
        monkeypatch.setenv("SSL_CERT_FILE", str(op.ca_file))  # the portal trusts the provider
        monkeypatch.setenv("ARSHJUL_PORTAL_URL", PORTAL)
        monkeypatch.setenv("ARSHJUL_OIDC_ISSUER", op.issuer)
        monkeypatch.setenv("ARSHJUL_OIDC_CLIENT_ID", op.client_id)
        monkeypatch.setenv("ARSHJUL_OIDC_CLIENT_SECRET", op.client_secret)
        get_settings.cache_clear()
        yield op


@pytest.fixture
def web(provider):
    from portal.app import create_app

    with TestClient(create_app(), base_url=PORTAL, follow_redirects=False) as c:
        yield c


def _through_provider(web, user: str):
    """Start at the portal, sign in at the provider as `user`, come back with the code."""
    start = web.get("/logga-in/oidc")
    assert start.status_code == 303
    authorize = start.headers["location"]
    assert "code_challenge=" in authorize and "nonce=" in authorize
    with httpx.Client(follow_redirects=False) as browser:
        assert browser.get(authorize).status_code == 200  # the provider's login page
        login = browser.post(authorize, data={"user": user})
    back = login.headers["location"]
    assert back.startswith(f"{PORTAL}/logga-in/oidc/svar?")
    return web.get(back.removeprefix(PORTAL))


def test_oidc_sign_in_starts_a_session(web):
    assert "/logga-in/oidc" in web.get("/logga-in").text
    back = _through_provider(web, "dan")
    assert back.status_code == 303 and back.headers["location"] == "/oversikt"
    assert "Secure" in back.headers["set-cookie"]
    page = web.get("/oversikt")
    assert page.status_code == 200 and "Inloggad som Dan Samordnare" in page.text


def test_oidc_account_without_a_role_is_refused(web):
    back = _through_provider(web, "bo")
    assert back.status_code == 403 and "behörighet" in back.text
    assert web.get("/oversikt").status_code == 303


def test_oidc_answer_with_another_state_is_refused(web):
    web.get("/logga-in/oidc")
    forged = web.get("/logga-in/oidc/svar?code=abc&state=not-ours")
    assert forged.status_code == 403
    assert web.get("/oversikt").status_code == 303


def test_oidc_code_cannot_be_replayed(web):
    start = web.get("/logga-in/oidc")
    with httpx.Client(follow_redirects=False) as browser:
        back = browser.post(start.headers["location"], data={"user": "dan"}).headers["location"]
    path = back.removeprefix(PORTAL)
    assert web.get(path).status_code == 303
    web.cookies.clear()
    web.cookies.set("arshjul_oidc", re.search(r"arshjul_oidc=([^;]+)",
                                              start.headers["set-cookie"])[1])
    assert web.get(path).status_code == 403  # the provider refuses the used code
