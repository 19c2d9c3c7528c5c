"""The SCIM connector against a real SCIM server (scim2-server from PyPI) on loopback."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tasks.connectors.base import ConnectorError
from tasks.connectors.scim import ENTERPRISE, ScimClient

TOKEN = "scim-test-token"
DEPARTMENTS = ["Socialförvaltningen", "Kultur- och fritidsförvaltningen", 'Bygg "&" miljö']


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def scim_url():
    port = _free_port()
    exe = Path(sys.executable).parent / "scim2-server"
    proc = subprocess.Popen([str(exe), "--hostname", "127.0.0.1", "--port", str(port),
                             "--bearer-token", TOKEN],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                httpx.get(f"{url}/ServiceProviderConfig", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.05)
        headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/scim+json"}
        for i in range(25):
            user = {
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE],
                "userName": f"user{i:02d}",
                "displayName": f"Användare {i:02d}",
                "emails": [{"value": f"user{i:02d}@example.se", "primary": True}],
                "active": i != 3,
                ENTERPRISE: {"department": DEPARTMENTS[i % 3]},
            }
            httpx.post(f"{url}/Users", json=user, headers=headers).raise_for_status()
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


def test_pages_through_every_user(scim_url):
    client = ScimClient(httpx.Client(base_url=scim_url), token=TOKEN, page_size=7)
    pages = list(client.iter_user_pages())
    assert [len(p) for p in pages] == [7, 7, 7, 4]
    users = {u.email: u for page in pages for u in page}
    assert len(users) == 25
    assert users["user04@example.se"].department == "Kultur- och fritidsförvaltningen"
    assert users["user03@example.se"].enabled is False
    assert users["user04@example.se"].name == "Användare 04"


def test_department_filter(scim_url):
    client = ScimClient(httpx.Client(base_url=scim_url), token=TOKEN, page_size=3)
    social = [u for page in client.iter_user_pages("Socialförvaltningen") for u in page]
    assert sorted(u.email for u in social) == [f"user{i:02d}@example.se" for i in range(0, 25, 3)]
    quoted = [u for page in client.iter_user_pages('Bygg "&" miljö') for u in page]
    assert len(quoted) == 8 and {u.department for u in quoted} == {'Bygg "&" miljö'}


def test_wrong_token_is_a_clear_error(scim_url):
    client = ScimClient(httpx.Client(base_url=scim_url), token="wrong")
    with pytest.raises(ConnectorError, match="SCIM GET /Users: HTTP 401"):
        list(client.iter_user_pages())


def test_sync_from_scim_into_the_store(scim_url, sqlite_store, monkeypatch):
    from datetime import UTC, datetime

    from models import db
    from models.org import Person
    from models.settings import get_settings
    from tasks.directory_sync import sync_directory_now
    from tests.models.campaigns.campaign_data import seed_organisation

    for key, value in {"DIRECTORY": "scim", "SCIM_URL": scim_url, "SCIM_TOKEN": TOKEN}.items():
        monkeypatch.setenv(f"ARSHJUL_{key}", value)
    get_settings.cache_clear()
    with db.session() as s:
        seed_organisation(s)
    counts = sync_directory_now(datetime(2026, 10, 1, tzinfo=UTC))
    assert (counts["created"], counts["unmapped"], counts["unmapped_departments"]) == (25, 16, 2)
    with db.session() as s:
        people = [p for p in s.query(Person).filter(Person.source == "scim")]
        social = [p for p in people if p.unit_id == "socialforvaltningen"]
        assert len(social) == 9 and all(p.last_password_change is None for p in people)
        assert sum(not p.account_enabled for p in people) == 1
