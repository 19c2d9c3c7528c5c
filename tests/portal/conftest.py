"""Fixtures of the portal tests: a seeded store and a TestClient of the app."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from models.settings import get_settings
from tests.portal.portal_data import NOW, SECRET, seed


@pytest.fixture
def portal_env(store, monkeypatch):
    """Settings for the portal: a real secret key and the clock at 2027-10-01."""
    monkeypatch.setenv("ARSHJUL_SECRET_KEY", SECRET)
    monkeypatch.setenv("ARSHJUL_NOW", NOW.isoformat())
    get_settings.cache_clear()
    return store


@pytest.fixture
def seeded(portal_env) -> dict[str, int]:
    """Form id → assignment id of the seeded organisation."""
    return seed()


@pytest.fixture
def client(seeded):
    """A TestClient of the portal app on the seeded store."""
    from portal.app import create_app

    with TestClient(create_app(), follow_redirects=False) as c:
        yield c


@pytest.fixture
def late(portal_env, smtp_sink):
    """The coordinator web view's organisation with late work (tests/portal/coordinator_data.py)."""
    from tests.portal.coordinator_data import seed_coordination

    return seed_coordination()


@pytest.fixture
def web(late, smtp_sink):
    """The app over https, signed in as the coordinator with a mailed link."""
    from portal.app import create_app
    from tests.portal.coordinator_data import sign_in

    with TestClient(create_app(), base_url="https://testserver", follow_redirects=False) as c:
        sign_in(c, smtp_sink)
        yield c
