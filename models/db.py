"""Engine factory, sessions and migrations of the store. Nothing connects at import time.

Every engine hides its statements' parameters from error messages (`hide_parameters`): an error's
text travels to Prefect's logs and state messages, and the parameters are people's names and
e-mail addresses.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlmodel import Session, create_engine

from models.settings import get_settings

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


_ENGINES: dict[str, Engine] = {}


def get_engine(url: str | None = None) -> Engine:
    """Return the (cached) engine for `url`, default the configured store."""
    url = url or get_settings().resolved_database_url
    if url not in _ENGINES:
        _ENGINES[url] = _create(url)
    return _ENGINES[url]


def _create(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30},
                               hide_parameters=True)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, hide_parameters=True)


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    # WAL lets the portal read while a tick writes; foreign keys are off by default in SQLite.
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def reset_engines() -> None:
    """Dispose cached engines (tests call this after switching stores)."""
    for engine in (*_ENGINES.values(), *_READERS.values()):
        engine.dispose()
    _ENGINES.clear()
    _READERS.clear()


@contextmanager
def session(url: str | None = None) -> Iterator[Session]:
    """A session on the store that commits on success and rolls back on error."""
    with Session(get_engine(url), expire_on_commit=False) as s:
        yield from _committing(s)


@contextmanager
def pinned_session(url: str | None = None) -> Iterator[Session]:
    """`session` on one connection kept from the pool until the session ends.

    For work that commits many times (a delivery batch commits once per message): a plain
    session returns its connection at each commit and checks one out again for the next
    statement, a pool round with a ping on PostgreSQL (a round trip) every time.
    """
    with get_engine(url).connect() as connection, \
            Session(bind=connection, expire_on_commit=False) as s:
        yield from _committing(s)


def _committing(s: Session) -> Iterator[Session]:
    """Yield `s`; commit when the block ends normally, roll back when it raises."""
    try:
        yield s
        s.commit()
    except BaseException:
        s.rollback()
        raise


_READERS: dict[str, Engine] = {}


@contextmanager
def read_session(url: str | None = None) -> Iterator[Session]:
    """A session for reading only (the portal's pages).

    On PostgreSQL its connections are in autocommit mode, from a pool of their own: each page
    makes 2 round trips (its two queries) instead of 6 with a ping, BEGIN, COMMIT and the
    pool's reset — and the pool never switches a connection's mode, which costs as much again.
    A connection idle for PING_AFTER seconds is pinged before use.
    Never write through it: a write would take effect at once, outside any transaction. On
    SQLite, whose transactions cost no round trips, it is the ordinary engine.
    """
    url = url or get_settings().resolved_database_url
    if url not in _READERS:
        _READERS[url] = get_engine(url) if url.startswith("sqlite") else _reader(url)
    with Session(_READERS[url], expire_on_commit=False) as s:
        yield s


#: A pooled reader connection idle longer than this is pinged before use (a restarted server).
PING_AFTER = 10.0


def _reader(url: str) -> Engine:
    # Ping only connections that sat idle (pool_pre_ping pings at every checkout: one round
    # trip more per page, while a busy portal's connections were in use milliseconds ago).
    engine = create_engine(url, isolation_level="AUTOCOMMIT", hide_parameters=True)
    event.listen(engine, "checkin", _stamp)
    event.listen(engine, "checkout", _ping_if_idle)
    return engine


def _stamp(_dbapi_conn, record) -> None:
    record.info["idle_since"] = time.monotonic()


def _ping_if_idle(dbapi_conn, record, _proxy) -> None:
    if time.monotonic() - record.info.get("idle_since", 0.0) < PING_AFTER:
        return
    try:
        dbapi_conn.cursor().execute("SELECT 1")
    except Exception as exc:  # the pool then replaces the connection and retries the checkout
        raise DisconnectionError() from exc


def migrate(url: str | None = None) -> str:
    """Create or upgrade the store to the newest schema; idempotent. Returns the head revision(s).
    """
    from alembic import command
    from alembic.config import Config

    url = url or get_settings().resolved_database_url
    get_engine(url)  # creates the SQLite directory
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["url"] = url
    command.upgrade(cfg, "heads")
    from alembic.script import ScriptDirectory

    return ",".join(ScriptDirectory.from_config(cfg).get_heads())


@contextmanager
def scratch_database(server: str, name: str) -> Iterator[str]:
    """A new, empty PostgreSQL database `name` on `server`, dropped on exit (tests, benchmarks).

    Args:
        server: URL of the server without a database, e.g. postgresql+psycopg://postgres@127.0.0.1.
        name: the database to (re)create; an existing one of that name is dropped first.
    """
    from sqlalchemy import create_engine, text

    admin = create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    drop = text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    try:
        with admin.connect() as conn:
            conn.execute(drop)
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield f"{server}/{name}"
    finally:
        reset_engines()  # our pooled connections would block the drop
        with admin.connect() as conn:
            conn.execute(drop)
        admin.dispose()
