"""Shared fixtures: an isolated home per test and the store on SQLite and PostgreSQL.

`store` is parametrised over both backends, so every test that uses it runs twice. PostgreSQL is
the local server (ARSHJUL_TEST_PG, default postgres@127.0.0.1:5432); each xdist worker gets its
own database, migrated once and truncated between tests.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from models import db
from models.settings import get_settings
from models.tables import metadata
from tests.flows.prefect_live import prefect_server  # noqa: F401  (one real server per process)
from tests.smtp_faults import faulty_smtp, pipelining_smtp  # noqa: F401  (fixtures everywhere)
from tests.smtp_sink import smtp_sink  # noqa: F401  (a fixture for every test package)

PG_SERVER = os.environ.get("ARSHJUL_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
#: A signing key that passes models.signing_key's check (tests that test the check unset it).
TEST_KEY = "k9Qx7Lm2Vb8Rt4Yz1Wc6Np3Hs5Jd0Fg-TEST-uE7aKo"
# No test may depend on Prefect's temporary server starting in time: a test (or a command it
# runs) that needs Prefect uses a real server (tests/flows/prefect_live.py), and a flow run
# without one fails at once instead of racing a 20-second timeout on a busy machine.
os.environ["PREFECT_SERVER_EPHEMERAL_ENABLED"] = "false"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch):
    """Every test gets its own ARSHJUL_HOME and fresh settings; no ARSHJUL_* leaks in."""
    for key in list(os.environ):
        if key.startswith("ARSHJUL_") and key != "ARSHJUL_TEST_PG":
            monkeypatch.delenv(key)
    home = tmp_path / "home"
    monkeypatch.setenv("ARSHJUL_HOME", str(home))
    monkeypatch.setenv("ARSHJUL_SECRET_KEY", TEST_KEY)
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    yield home
    db.reset_engines()
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A SQLite store migrated once; each test copies it."""
    path = tmp_path_factory.mktemp("template") / "arshjul.db"
    url = f"sqlite:///{path}"
    db.migrate(url)
    db.reset_engines()
    return path


@pytest.fixture(scope="session")
def pg_url(worker_id):
    """A PostgreSQL database of this test process's own, migrated once, dropped at the end.

    The process id is in the name so that concurrent pytest sessions never share one.
    """
    with db.scratch_database(PG_SERVER, f"arshjul_test_{worker_id}_{os.getpid()}") as url:
        db.migrate(url)
        db.reset_engines()
        yield url


def _truncate(url: str) -> None:
    tables = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


def use_store(url: str, monkeypatch) -> str:
    """Point settings and engines at `url`."""
    monkeypatch.setenv("ARSHJUL_DATABASE_URL", url)
    get_settings.cache_clear()
    db.reset_engines()
    return url


@pytest.fixture
def sqlite_store(tmp_path, sqlite_template, monkeypatch) -> str:
    """A fresh, migrated SQLite store."""
    path = tmp_path / "store.db"
    shutil.copy(sqlite_template, path)
    return use_store(f"sqlite:///{path}", monkeypatch)


@pytest.fixture
def postgresql_store(pg_url, monkeypatch) -> str:
    """The worker's PostgreSQL store, emptied."""
    _truncate(pg_url)
    return use_store(pg_url, monkeypatch)


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request) -> str:
    """The store on each backend in turn; returns its URL."""
    return request.getfixturevalue(f"{request.param}_store")

