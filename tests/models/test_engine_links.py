"""Signed portal links: round trip, tampering, expiry and kinds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from models import links

NOW = datetime(2027, 10, 1, 6, 0, tzinfo=UTC)
LATER = NOW + timedelta(days=120)


def test_round_trip_carries_person_assignment_and_expiry():
    token = links.make_token("anna-berg", 42, LATER)
    claims = links.verify_token(token, kind=links.ASSIGNMENT, now=NOW)
    assert (claims.person_id, claims.assignment_id, claims.kind) == ("anna-berg", 42, "assignment")
    assert claims.expires == LATER.replace(microsecond=0)


def test_token_is_url_safe_and_has_no_personal_data_in_clear():
    token = links.make_token("anna-berg", 42, LATER)
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.")
    assert "anna" not in token


def test_altered_payload_is_tampered():
    token = links.make_token("anna-berg", 42, LATER)
    other = links.make_token("bo-ek", 43, LATER)
    forged = other.split(".")[0] + "." + token.split(".")[1]
    with pytest.raises(links.TamperedLinkError):
        links.verify_token(forged, now=NOW)


@pytest.mark.parametrize("bad", ["", "abc", "abc.def", "a.b.c", "é.ü", ".", "x" * 500])
def test_garbage_is_tampered(bad):
    with pytest.raises(links.TamperedLinkError):
        links.verify_token(bad, now=NOW)


def test_other_secret_is_tampered():
    token = links.make_token("anna-berg", 42, LATER, secret="one")
    with pytest.raises(links.TamperedLinkError):
        links.verify_token(token, now=NOW, secret="two")


def test_expired_is_distinct_from_tampered():
    token = links.make_token("anna-berg", 42, NOW - timedelta(seconds=1))
    with pytest.raises(links.ExpiredLinkError) as info:
        links.verify_token(token, now=NOW)
    assert not isinstance(info.value, links.TamperedLinkError)


def test_secret_comes_from_settings(monkeypatch):
    from models.settings import get_settings

    token = links.make_token("anna-berg", 42, LATER)
    monkeypatch.setenv("ARSHJUL_SECRET_KEY", "rotated-Zp4Lq8Wm1Xc7Vb3Nk9Rt6Yh2Jd5Gf0Su")
    get_settings.cache_clear()
    with pytest.raises(links.TamperedLinkError):
        links.verify_token(token, now=NOW)


def test_other_kinds_and_wrong_kind():
    token = links.make_subject_token("incident-unit", "17:socialforvaltningen", "", LATER)
    claims = links.verify_token(token, kind="incident-unit", now=NOW)
    assert (claims.subject, claims.person_id, claims.assignment_id) == (
        "17:socialforvaltningen", "", None)
    with pytest.raises(links.WrongKindError):
        links.verify_token(token, kind=links.ASSIGNMENT, now=NOW)


def test_bad_kind_is_refused():
    with pytest.raises(ValueError):
        links.make_subject_token("Not A Kind", "x", "p", LATER)


def test_default_expiry_and_url(monkeypatch):
    from models.settings import get_settings

    monkeypatch.setenv("ARSHJUL_PORTAL_URL", "https://portal.example.se/")
    monkeypatch.setenv("ARSHJUL_LINK_DAYS", "30")
    get_settings.cache_clear()
    assert links.default_expiry(NOW) == NOW + timedelta(days=30)
    assert links.portal_url("t.s") == "https://portal.example.se/a/t.s"
