"""Issue #15 item 9: two people submit one assignment at once on PostgreSQL.

Both read the assignment unsubmitted; the second waits on the first's row lock. Both versions are
kept, and `submitted_by` names the first submitter — the one whose version 1 made it submitted.
"""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlmodel import select

from models import db
from models.cycle.responses import ResponseVersion, submit
from models.cycle.tables import Assignment
from tests.portal.portal_data import NOW, seed


def test_submitted_by_names_the_first_of_two_concurrent_submitters(postgresql_store):
    aid = seed()["kvittens"]
    second_read = threading.Event()
    failures: list[BaseException] = []

    def second() -> None:
        try:
            with db.session() as s:
                assignment = s.get(Assignment, aid)
                assert assignment.submitted_at is None  # read before the first commits
                second_read.set()
                submit(assignment, "kvittens", {"klart": True}, "bo-ek", session=s,
                       now=NOW + timedelta(seconds=1))  # waits for the first's lock
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            failures.append(exc)
            second_read.set()

    with db.session() as s:
        submit(s.get(Assignment, aid), "kvittens", {"klart": True}, "anna-berg", session=s,
               now=NOW)
        worker = threading.Thread(target=second)
        worker.start()
        assert second_read.wait(30)
    worker.join(60)
    assert not failures, failures
    with db.session() as s:
        assignment = s.get(Assignment, aid)
        versions = s.exec(select(ResponseVersion).where(ResponseVersion.assignment_id == aid)
                          .order_by(ResponseVersion.version)).all()
    assert [(v.version, v.submitted_by) for v in versions] == [(1, "anna-berg"), (2, "bo-ek")]
    assert (assignment.submitted_by, assignment.submitted_at) == ("anna-berg", NOW)
