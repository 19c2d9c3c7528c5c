"""Directory → store: upsert people in batches, map departments to units, deactivate the gone.

Never touches PersonRole rows (the coordinator's organisation file owns roles) nor the name,
e-mail and active flag of people from the organisation file; such a person is *linked* to
their directory account by e-mail and gets its unit, account state and password time.
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Connection, update
from sqlmodel import Session, select

from models import organisation
from models.bulk import insert_ignore
from models.campaigns.directory import (
    DirectoryUser,
    aware_utc,
    department_index,
    normalise_department,
)
from models.org import Person, Unit

BATCH = 1000
#: Fields a directory owns on its own people; linked organisation people get only LINKED.
OWNED = ("name", "email", "unit_id", "elected", "account_enabled", "last_password_change",
         "active", "deactivated_at")
LINKED = ("external_id", "unit_id", "elected", "account_enabled", "last_password_change")


@dataclass
class SyncCounts:
    """What a sync did (counts only: safe for Prefect logs and artifacts)."""

    seen: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0
    linked: int = 0
    unmapped: int = 0
    unmapped_departments: set[str] = field(default_factory=set)

    def public(self) -> dict:
        out = {k: v for k, v in self.__dict__.items() if k != "unmapped_departments"}
        out["unmapped_departments"] = len(self.unmapped_departments)
        return out


def person_id(source: str, external_id: str) -> str:
    """Stable id of a directory person: `<source>-<directory id>`."""
    return f"{source}-{external_id}"[:128]


#: Columns of a new directory person, in the order `_Sync.add` builds its tuples.
INSERT_COLUMNS = ("id", "source", "external_id", "name", "email", "unit_id", "elected",
                  "account_enabled", "last_password_change", "active", "deactivated_at")


def insert_people(conn: Connection, rows: list[tuple]) -> int:
    """Insert new people (tuples in INSERT_COLUMNS order); returns how many were new."""
    return insert_ignore(conn, Person.__table__, INSERT_COLUMNS, rows, {"notify": "'[]'"},
                         expect_new=True)  # only people missing from the sync's snapshot


class _Sync:
    def __init__(self, session: Session, source: str, now: datetime):
        self.session, self.source, self.now = session, source, aware_utc(now)
        self.departments = department_index(organisation.info(session=session).department_map)
        self.units = set(session.exec(select(Unit.id)))
        cols = (Person.id, Person.source, Person.external_id) + tuple(
            getattr(Person, f) for f in OWNED)
        self.known: dict[str, dict] = {}
        self.by_email: dict[str, str] = {}
        for row in session.execute(select(*cols)):
            record = dict(row._mapping)
            if record["external_id"] is not None:
                self.known[record["external_id"]] = record
            elif record["source"] == "org" and record["email"]:
                self.by_email[record["email"].casefold()] = record["id"]
        self.counts = SyncCounts()
        self.seen: set[str] = set()
        self.unit_cache: dict[str | None, tuple] = {}
        self.inserts: list[tuple] = []
        self.updates: list[dict] = []
        # New people are written by one thread of their own: the store's part of an insert
        # (SQLite's statement, PostgreSQL's round trips) runs while the next users are read.
        self.writer = ThreadPoolExecutor(1, thread_name_prefix="people-insert")
        self.writing: Future | None = None

    def unit_of(self, department: str | None, elected: bool) -> tuple[str | None, bool]:
        if department not in self.unit_cache:
            ref = self.departments.get(normalise_department(department))
            mapped = ref is not None and ref.unit in self.units
            self.unit_cache[department] = (ref.unit if mapped else None,
                                           bool(ref and ref.elected), mapped)
        unit, dept_elected, mapped = self.unit_cache[department]
        if not mapped:
            self.counts.unmapped += 1
            if department:
                self.counts.unmapped_departments.add(department)
        return unit, elected or dept_elected

    def add(self, user: DirectoryUser) -> None:
        ext = user.external_id
        if ext in self.seen:
            return
        self.seen.add(ext)
        unit_id, elected = self.unit_of(user.department, user.elected)
        email = user.email or ""
        lpc = user.last_password_change
        if lpc is not None and lpc.tzinfo is None:
            lpc = lpc.replace(tzinfo=UTC)  # a directory without offsets means UTC
        old = self.known.get(ext)
        if old is None and self.by_email and email and email.casefold() in self.by_email:
            self.counts.linked += 1
            self.updates.append({"id": self.by_email.pop(email.casefold()), "external_id": ext,
                                 "unit_id": unit_id, "elected": elected,
                                 "account_enabled": user.enabled, "last_password_change": lpc})
        elif old is None:
            self.inserts.append((person_id(self.source, ext), self.source, ext, user.name, email,
                                 unit_id, elected, user.enabled, lpc, True, None))
        else:
            values = {"name": user.name, "email": email, "unit_id": unit_id, "elected": elected,
                      "account_enabled": user.enabled, "last_password_change": lpc,
                      "active": True, "deactivated_at": None}
            fields = OWNED if old["source"] != "org" else LINKED[1:]
            changed = {f: values[f] for f in fields if old[f] != values[f]}
            if changed:
                self.updates.append({"id": old["id"], **changed})
            else:
                self.counts.unchanged += 1
        if len(self.inserts) >= 10 * BATCH or len(self.updates) >= BATCH:
            self.flush()

    def flush(self) -> None:
        """Hand the collected new people to the writer; apply the updates (once it is idle)."""
        self.wait()
        if self.inserts:
            self.writing = self.writer.submit(insert_people, self.session.connection(),
                                              self.inserts)
        if self.updates:
            self.wait()  # one statement at a time on the session's connection
            self._update(self.updates)
            self.counts.updated += len(self.updates)
        self.inserts, self.updates = [], []

    def wait(self) -> None:
        """Wait for the insert in progress (its error, if any, is raised here)."""
        if self.writing is not None:
            writing, self.writing = self.writing, None
            self.counts.created += writing.result()

    def close(self) -> None:
        """Let the writer finish before the session commits or rolls back."""
        try:
            self.wait()
        finally:
            self.writer.shutdown(wait=True)

    def _update(self, rows: list[dict]) -> None:
        # group by the set of changed columns: one executemany per shape
        shapes: dict[tuple, list[dict]] = {}
        for row in rows:
            shapes.setdefault(tuple(sorted(row)), []).append(row)
        for shape in shapes.values():
            self.session.execute(update(Person), shape)

    def deactivate_gone(self) -> None:
        gone = [r["id"] for ext, r in self.known.items()
                if ext not in self.seen and r["source"] == self.source and r["active"]]
        for start in range(0, len(gone), BATCH):
            self.session.execute(
                update(Person).where(Person.id.in_(gone[start:start + BATCH]))
                .values(active=False, deactivated_at=self.now, account_enabled=False)
                .execution_options(synchronize_session=False))
        self.counts.deactivated = len(gone)


def sync_people(pages: Iterable[list[DirectoryUser]], *, source: str, session: Session,
                now: datetime) -> SyncCounts:
    """Upsert every page's users, then deactivate this source's people not seen; commits once.

    A failed read (the iterator raises) leaves the store as it was: nothing is deactivated on
    a partial listing.
    """
    sync = _Sync(session, source, now)
    try:
        for page in pages:
            for user in page:
                sync.add(user)
        sync.flush()
    finally:
        sync.close()
    sync.counts.seen = len(sync.seen)
    sync.deactivate_gone()
    session.commit()
    return sync.counts
