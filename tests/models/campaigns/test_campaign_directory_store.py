"""Directory sync into the store: batches, department map, linking, deactivation, roles kept."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from models import db
from models.campaigns.directory import DirectoryUser
from models.campaigns.directory_store import sync_people
from models.org import Person, PersonRole
from tests.models.campaigns.campaign_data import seed_organisation

NOW = datetime(2026, 10, 1, 8, tzinfo=UTC)


def users(n: int, dept: str = "Socialförvaltningen", **extra) -> list[DirectoryUser]:
    return [DirectoryUser(external_id=f"u{i}", name=f"U {i}", email=f"u{i}@example.se",
                          department=dept, **extra) for i in range(n)]


def test_first_sync_creates_maps_and_links(store):
    with db.session() as s:
        seed_organisation(s)
    directory = users(2500) + [
        DirectoryUser(external_id="c1", name="Chef", email="CHEF.socialforvaltningen@example.se",
                      department="Soc - Äldreomsorg"),
        DirectoryUser(external_id="pol", name="Politiker", email="pol@example.se",
                      department="  förtroendevalda "),
        DirectoryUser(external_id="x", name="X", email="x@example.se", department="Okänd"),
    ]
    with db.session() as s:
        counts = sync_people([directory[:999], directory[999:]], source="graph", session=s, now=NOW)
    assert (counts.seen, counts.created, counts.linked, counts.unmapped) == (2503, 2502, 1, 1)
    assert counts.public()["unmapped_departments"] == 1
    with db.session() as s:
        chef = s.get(Person, "chef-socialforvaltningen")
        assert (chef.external_id, chef.unit_id, chef.source, chef.name) == (
            "c1", "socialforvaltningen", "org", "Chef socialforvaltningen")
        pol = s.get(Person, "graph-pol")
        assert pol.elected and pol.unit_id == "kommunledningskontoret"
        assert s.get(Person, "graph-x").unit_id is None
        assert s.get(Person, "graph-u7").unit_id == "socialforvaltningen"


def test_resync_updates_changes_only_and_deactivates_the_gone(store):
    with db.session() as s:
        seed_organisation(s)
        sync_people([users(300)], source="graph", session=s, now=NOW)
    roles_before = _roles()
    changed = users(290)
    changed[5] = DirectoryUser(external_id="u5", name="U 5", email="u5@example.se",
                               department="Kultur- och fritid",
                               last_password_change=datetime(2026, 10, 2, 9, tzinfo=UTC))
    with db.session() as s:
        counts = sync_people([changed], source="graph", session=s, now=NOW)
    assert (counts.updated, counts.unchanged, counts.deactivated, counts.created) == (1, 289, 10, 0)
    with db.session() as s:
        u5 = s.get(Person, "graph-u5")
        assert u5.unit_id == "kulturforvaltningen"
        assert u5.last_password_change == datetime(2026, 10, 2, 9, tzinfo=UTC)
        gone = s.get(Person, "graph-u295")
        assert not gone.active and gone.deactivated_at == NOW
    # back again: reactivated
    with db.session() as s:
        counts = sync_people([users(300)], source="graph", session=s, now=NOW)
    assert counts.updated == 11
    with db.session() as s:
        assert s.get(Person, "graph-u295").active
    assert _roles() == roles_before


def test_failed_listing_writes_nothing(store):
    with db.session() as s:
        seed_organisation(s)
        sync_people([users(50)], source="graph", session=s, now=NOW)

    def broken():
        yield users(10, dept="Kultur- och fritid")
        raise RuntimeError("throttled")

    with pytest.raises(RuntimeError), db.session() as s:
        sync_people(broken(), source="graph", session=s, now=NOW)
    with db.session() as s:
        people = s.exec(select(Person).where(Person.source == "graph")).all()
        assert len(people) == 50 and all(p.active and p.unit_id == "socialforvaltningen"
                                          for p in people)


def _roles():
    with db.session() as s:
        return sorted((r.person_id, r.role, r.scope_id) for r in s.exec(select(PersonRole)))


def test_two_syncs_at_once_create_each_person_once(postgresql_store):
    """Both start from the same empty snapshot; the one that commits second finds every row
    taken (its straight COPY conflicts, the conflict-skipping path takes over) and creates none."""
    import threading

    with db.session() as s:
        seed_organisation(s)
    directory = users(3000)
    barrier, created, errors = threading.Barrier(2), [], []

    def run() -> None:
        try:
            with db.session() as s:
                barrier.wait()
                created.append(sync_people([directory[:1500], directory[1500:]], source="graph",
                                           session=s, now=NOW).created)
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(created) == [0, 3000]
    with db.session() as s:
        assert len(s.exec(select(Person).where(Person.source == "graph")).all()) == 3000
