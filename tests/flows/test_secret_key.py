"""Issue #15 item 2: every command and process that signs or verifies refuses an unfit key.

One check (models.signing_key) behind `arshjul tick`, `incident link`, the portal and the
workers: unset, the default, shorter than 32 bytes or of low entropy is `fel: …` and exit 2, with
nothing recorded or sent. Demo mode makes its own random key, shared by the processes of one home.
"""

from __future__ import annotations

import pytest
from sqlmodel import func, select
from typer.testing import CliRunner

from cli.main import app
from models import db
from models.errors import InputError
from models.notify.ledger import Notification
from models.settings import DEFAULT_SECRET_KEY, get_settings
from models.signing_key import signing_key
from tests.engine_data import seed

WEAK = {
    "unset": None,
    "default": "change-me",
    "a16": "a" * 16,
    "spaces16": " " * 16,
    "default-padded": "change-me" + " " * 23,
    "short-random": "Zp4Lq8Wm1Xc7Vb3Nk9",
    "a40": "a" * 40,
    "repeated": "abcdefgh" * 5,
}


def _use_key(monkeypatch, key: str | None) -> None:
    if key is None:
        monkeypatch.delenv("ARSHJUL_SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("ARSHJUL_SECRET_KEY", key)
    get_settings.cache_clear()


@pytest.mark.slow
@pytest.mark.parametrize("key", list(WEAK.values()), ids=list(WEAK))
def test_tick_refuses_an_unfit_key_before_anything_is_recorded(
    sqlite_store, prefect_harness, smtp_sink, monkeypatch, key
):
    seed()
    _use_key(monkeypatch, key)
    result = CliRunner().invoke(app, ["tick", "--now", "2027-09-01T08:00"])
    assert result.exit_code == 2, result.output
    assert result.output.startswith("fel: ARSHJUL_SECRET_KEY: ")
    assert "Traceback" not in result.output
    assert smtp_sink.messages == []
    with db.session() as s:
        assert s.exec(select(func.count()).select_from(Notification)).one() == 0


@pytest.mark.parametrize("key", list(WEAK.values()), ids=list(WEAK))
def test_incident_link_refuses_an_unfit_key(sqlite_store, monkeypatch, key):
    seed()
    _use_key(monkeypatch, key)
    result = CliRunner().invoke(app, ["incident", "link", "--unit", "socialforvaltningen"])
    assert result.exit_code == 2, result.output
    assert result.output.startswith("fel: ARSHJUL_SECRET_KEY: ")


@pytest.mark.parametrize("key", list(WEAK.values()), ids=list(WEAK))
def test_portal_refuses_an_unfit_key(monkeypatch, key):
    from portal.app import create_app

    _use_key(monkeypatch, key)
    with pytest.raises(InputError, match="ARSHJUL_SECRET_KEY"):
        create_app()


def test_a_generated_key_is_accepted(monkeypatch):
    import secrets

    for make in (lambda: secrets.token_hex(16), lambda: secrets.token_urlsafe(32)):
        _use_key(monkeypatch, make())
        assert signing_key()


def test_demo_mode_makes_its_own_random_key_shared_within_one_home(monkeypatch, isolated_home):
    _use_key(monkeypatch, None)
    monkeypatch.setenv("ARSHJUL_DEMO_MODE", "true")
    get_settings.cache_clear()
    first = signing_key()
    get_settings.cache_clear()
    again = signing_key()  # another process of the same demo
    assert first == again and first != DEFAULT_SECRET_KEY and len(first) >= 32
    monkeypatch.setenv("ARSHJUL_HOME", str(isolated_home.parent / "other-demo"))
    get_settings.cache_clear()
    assert signing_key() != first
