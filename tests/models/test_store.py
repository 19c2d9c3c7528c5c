from sqlmodel import select

from models import db
from models.org import Board


def test_store_migrates_and_round_trips(store):
    assert db.migrate(store)  # idempotent on an already migrated store
    with db.session() as s:
        s.add(Board(id="kommunstyrelsen", name="Kommunstyrelsen"))
    with db.session() as s:
        assert [b.name for b in s.exec(select(Board))] == ["Kommunstyrelsen"]
