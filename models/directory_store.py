"""Directory → store: upsert people in batches, map departments to units, deactivate the gone.

Never touches PersonRole rows (the coordinator's organisation file owns roles) nor the name,
e-mail and active flag of people from the organisation file; such a person is *linked* to
their directory account by e-mail and gets its unit, account state and password time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, select

from models.directory import DirectoryUser, aware_utc, department_index, normalise_department
from models.org import Organisation, Person, Unit

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


def _insert(session: Session):
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(Person)


class _Sync:
    def __init__(self, session: Session, source: str, now: datetime):
        self.session, self.source, self.now = session, source, aware_utc(now)
        org = session.get(Organisation, 1)
        self.departments = department_index(org.department_map if org else {})
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
        self.inserts: list[dict] = []
        self.updates: list[dict] = []

    def unit_of(self, user: DirectoryUser) -> tuple[str | None, bool]:
        ref = self.departments.get(normalise_department(user.department))
        if ref is None or ref.unit not in self.units:
            self.counts.unmapped += 1
            if user.department:
                self.counts.unmapped_departments.add(user.department)
            return None, user.elected or bool(ref and ref.elected)
        return ref.unit, user.elected or ref.elected

    def add(self, user: DirectoryUser) -> None:
        if user.external_id in self.seen:
            return
        self.seen.add(user.external_id)
        self.counts.seen += 1
        unit_id, elected = self.unit_of(user)
        values = {"name": user.name, "email": user.email or "", "unit_id": unit_id,
                  "elected": elected, "account_enabled": user.enabled,
                  "last_password_change": aware_utc(user.last_password_change),
                  "active": True, "deactivated_at": None}
        old = self.known.get(user.external_id)
        if old is None and user.email and user.email.casefold() in self.by_email:
            self.link(self.by_email.pop(user.email.casefold()), user, values)
        elif old is None:
            self.inserts.append({"id": person_id(self.source, user.external_id),
                                 "source": self.source, "external_id": user.external_id,
                                 "notify": [], **values})
        else:
            fields = OWNED if old["source"] != "org" else LINKED[1:]
            changed = {f: values[f] for f in fields if old[f] != values[f]}
            if changed:
                self.updates.append({"id": old["id"], **changed})
            else:
                self.counts.unchanged += 1
        if len(self.inserts) + len(self.updates) >= BATCH:
            self.flush()

    def link(self, pid: str, user: DirectoryUser, values: dict) -> None:
        self.counts.linked += 1
        self.updates.append({"id": pid, "external_id": user.external_id,
                             **{f: values[f] for f in LINKED[1:]}})

    def flush(self) -> None:
        for start in range(0, len(self.inserts), BATCH):
            chunk = self.inserts[start:start + BATCH]
            stmt = (_insert(self.session).values(chunk).on_conflict_do_nothing()
                    .returning(Person.id))
            self.counts.created += len(self.session.execute(stmt).all())
        self._update(self.updates)
        self.counts.updated += len(self.updates)
        self.inserts, self.updates = [], []

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
    for page in pages:
        for user in page:
            sync.add(user)
    sync.flush()
    sync.deactivate_gone()
    session.commit()
    return sync.counts
