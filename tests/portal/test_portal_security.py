"""Security of the portal over HTTP: links, cross-site posts, body limit, escaping, headers, key."""

from __future__ import annotations

import pytest

from models.cycle.forms import get_form
from models.errors import InputError
from models.settings import get_settings
from tests.portal.portal_data import csrf_of, link
from tests.portal.test_portal_answering import post, risk_data, versions

SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>"\'&'


def test_tampered_token_gets_403(client, seeded):
    path = link(seeded["riskanalys"])
    payload, signature = path.removeprefix("/a/").split(".")
    forged = payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB")
    for bad in (f"/a/{forged}.{signature}", f"/a/{payload}.{signature[:-1]}x", "/a/garbage"):
        page = client.get(bad)
        assert page.status_code == 403 and "Länken är inte giltig" in page.text
    wrong_key = path.replace(signature, signature[::-1])
    assert client.post(wrong_key, data={"action": "save"}).status_code == 403


def test_expired_token_gets_410_naming_the_coordinator(client, seeded, monkeypatch):
    path = link(seeded["riskanalys"], days=1)
    monkeypatch.setenv("ARSHJUL_NOW", "2027-10-03T08:00:00+00:00")
    get_settings.cache_clear()
    page = client.get(path)
    assert page.status_code == 410
    assert "Länken har gått ut" in page.text and "Dan Samordnare" in page.text
    assert "mailto:dan-samordnare@example.se" in page.text


def test_person_not_responsible_is_refused(client, seeded):
    page = client.get(link(seeded["riskanalys"], person="cia-lund"))  # another unit's contact
    assert page.status_code == 403 and "Du har inte behörighet" in page.text
    assert client.get(link(seeded["riskanalys"], person="nobody")).status_code == 403
    assert client.get(link(99999)).status_code == 403


def test_form_of_one_assignment_cannot_post_to_another(client, seeded):
    mine = client.get(link(seeded["kvittens"])).text
    other = link(seeded["riskanalys"])
    page = client.post(other, data={**risk_data(), "csrf": csrf_of(mine), "action": "submit"})
    assert page.status_code == 403 and "Formuläret kunde inte tas emot" in page.text
    assert versions(seeded["riskanalys"]) == []


def test_cross_site_posts_are_refused(client, seeded):
    path = link(seeded["riskanalys"])
    csrf = csrf_of(client.get(path).text)
    data = {**risk_data(), "csrf": csrf, "action": "submit"}
    assert client.post(path, data={**risk_data(), "action": "submit"}).status_code == 403
    for headers in ({"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"},
                    {"Sec-Fetch-Site": "same-site", "Origin": "null"}):
        refused = client.post(path, data=data, headers=headers)
        assert refused.status_code == 403 and "Formuläret kunde inte tas emot" in refused.text
    assert versions(seeded["riskanalys"]) == []
    # Chromium sends Origin "null" for our own posts under Referrer-Policy no-referrer.
    same = client.post(path, data=data, headers={"Origin": "null", "Sec-Fetch-Site": "same-origin"})
    assert same.status_code == 303


def test_oversized_body_gets_413(client, seeded):
    path = link(seeded["riskanalys"])
    csrf = csrf_of(client.get(path).text)
    huge = {"csrf": csrf, "action": "save", "kommentar": "x" * (get_settings().portal_max_body + 1)}
    page = client.post(path, data=huge)
    assert page.status_code == 413 and "För mycket text" in page.text

    def chunks():  # no Content-Length: the streamed body is counted
        yield b"csrf=" + csrf.encode() + b"&kommentar="
        for _ in range(300):
            yield b"x" * 1024

    assert (
        client.post(
            path, content=chunks(), headers={"content-type": "application/x-www-form-urlencoded"}
        ).status_code
        == 413
    )
    assert versions(seeded["riskanalys"]) == []


def test_html_in_every_text_field_is_rendered_inert(client, seeded):
    aid = seeded["riskanalys"]
    path = link(aid)
    rows = [[SCRIPT] * 1 + ["driftstopp", "1", "1", SCRIPT, SCRIPT] for _ in range(3)]
    assert post(client, path, risk_data(rows) | {"kommentar": SCRIPT}).status_code == 303
    for page in (client.get(path).text, client.get(path + "/kvitto").text):
        assert "<script>" not in page and "<img src=x" not in page
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    for form_id, aid in seeded.items():  # every text question of every form, incl. errors
        form = get_form(form_id)
        texts = {q.id: SCRIPT for q in form.questions if q.type in ("text", "number", "date")}
        person = "dan-samordnare" if form_id == "infosakkollen" else "anna-berg"
        page = post(client, link(aid, person=person), texts, action="save").text
        assert "<script>" not in page and "onerror=alert(1)>" not in page


def test_security_headers_on_every_response(client, seeded):
    for path in (link(seeded["riskanalys"]), "/a/garbage", "/static/portal.css", "/nowhere"):
        response = client.get(path)
        csp = response.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "default-src 'none'" in csp
        assert "script-src" not in csp  # no scripts at all
        assert response.headers["referrer-policy"] == "no-referrer"
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("key", [None, "change-me", "short"])
def test_refuses_to_start_without_a_proper_secret_key(portal_env, monkeypatch, key):
    from portal.app import create_app

    if key is None:
        monkeypatch.setenv("ARSHJUL_SECRET_KEY", "")
    else:
        monkeypatch.setenv("ARSHJUL_SECRET_KEY", key)
    get_settings.cache_clear()
    with pytest.raises(InputError, match="ARSHJUL_SECRET_KEY"):
        create_app()
    monkeypatch.setenv("ARSHJUL_DEMO_MODE", "true")
    get_settings.cache_clear()
    create_app()
