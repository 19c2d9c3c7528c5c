"""Directory → store: upsert people in batches, map departments to units, deactivate the gone.

Never touches PersonRole rows (the coordinator's organisation file owns roles) nor the name,
e-mail and active flag of people from the organisation file; such a person is *linked* to
their directory account by e-mail and gets its unit, account state and password time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import chain

from sqlalchemy import Connection, update
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


#: Columns of a new directory person, in the order `_Sync.add` builds its tuples.
INSERT_COLUMNS = ("id", "source", "external_id", "name", "email", "unit_id", "elected",
                  "account_enabled", "last_password_change", "active", "deactivated_at")


_TIME_COLUMNS = tuple(i for i, c in enumerate(INSERT_COLUMNS)
                      if c in ("last_password_change", "deactivated_at"))


def _sqlite_row(row: tuple) -> tuple:
    # SQLAlchemy's SQLite DateTime text format, in UTC (UTCDateTime reads it back as UTC);
    # sqlite3 takes the other values (str, bool, None) as they are.
    out = list(row)
    for i in _TIME_COLUMNS:
        if out[i] is not None:
            out[i] = out[i].astimezone(UTC).replace(tzinfo=None).isoformat(
                sep=" ", timespec="microseconds")
    return out


def insert_people(conn: Connection, rows: list[tuple]) -> int:
    """Insert new people in raw SQL; returns how many were new.

    Raw on purpose: SQLAlchemy's per-row parameter processing made a 50,000-person first sync
    take ~10 s. SQLite gets multi-row VALUES; PostgreSQL gets one array per column through
    COPY (a 11,000-placeholder statement is slow to prepare in psycopg). A row whose id
    exists already (a concurrent sync) is skipped, not an error.
    """
    if not rows:
        return 0
    if conn.dialect.name != "sqlite":
        return _insert_pg(conn, rows)
    one = "(" + ", ".join(["?"] * len(INSERT_COLUMNS)) + ", '[]')"
    created = 0
    for start in range(0, len(rows), BATCH):
        chunk = rows[start:start + BATCH]
        params = tuple(chain.from_iterable(map(_sqlite_row, chunk)))
        sql = (f"INSERT INTO person ({', '.join(INSERT_COLUMNS)}, notify) VALUES "
               + ", ".join([one] * len(chunk)) + " ON CONFLICT (id) DO NOTHING RETURNING id")
        created += len(conn.exec_driver_sql(sql, params).fetchall())
    return created


_PG_COLUMNS = ("id text, source text, external_id text, name text, email text, unit_id text, "
               "elected boolean, account_enabled boolean, last_password_change timestamptz, "
               "active boolean, deactivated_at timestamptz")


def _insert_pg(conn: Connection, rows: list[tuple]) -> int:
    # COPY into a session-local temp table (psycopg formats rows in C), then one INSERT … SELECT
    cols = ", ".join(INSERT_COLUMNS)
    with conn.connection.dbapi_connection.cursor() as cur:
        cur.execute(f"CREATE TEMP TABLE IF NOT EXISTS person_import ({_PG_COLUMNS}) "
                    "ON COMMIT DELETE ROWS")
        with cur.copy(f"COPY person_import ({cols}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cur.execute(f"INSERT INTO person ({cols}, notify) SELECT {cols}, '[]'::json "
                    "FROM person_import ON CONFLICT (id) DO NOTHING RETURNING id")
        created = len(cur.fetchall())
        cur.execute("DELETE FROM person_import")
    return created


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
        self.unit_cache: dict[str | None, tuple] = {}
        self.inserts: list[tuple] = []
        self.updates: list[dict] = []

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
        self.counts.created += insert_people(self.session.connection(), self.inserts)
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
    sync.counts.seen = len(sync.seen)
    sync.deactivate_gone()
    session.commit()
    return sync.counts
