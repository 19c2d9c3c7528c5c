from sqlmodel import select

from models import db
from models.org import Board


def test_store_migrates_and_round_trips(store):
    assert db.migrate(store)  # idempotent on an already migrated store
    with db.session() as s:
        s.add(Board(id="kommunstyrelsen", name="Kommunstyrelsen"))
    with db.session() as s:
        assert [b.name for b in s.exec(select(Board))] == ["Kommunstyrelsen"]


def _reader_pid() -> int:
    from sqlalchemy import text

    with db.read_session() as s:
        return s.exec(text("SELECT pg_backend_pid()")).scalar_one()


def test_a_reader_connection_the_server_dropped_is_replaced_on_the_next_page(
        postgresql_store, monkeypatch):
    """The portal's pages read through pooled autocommit connections that are pinged only after
    sitting idle; one the server dropped meanwhile (a restart, an idle timeout) must not turn
    the next page into an error."""
    from sqlalchemy import create_engine, text

    db.migrate(postgresql_store)
    with db.session() as s:
        s.add(Board(id="kommunstyrelsen", name="Kommunstyrelsen"))
    first = _reader_pid()
    admin = create_engine(postgresql_store, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
    admin.dispose()
    monkeypatch.setattr(db, "PING_AFTER", 0.0)  # as if the connection had sat idle
    with db.read_session() as s:
        assert [b.name for b in s.exec(select(Board))] == ["Kommunstyrelsen"]
    assert _reader_pid() != first
