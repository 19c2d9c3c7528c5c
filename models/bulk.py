"""Bulk inserts for region-sized batches (tens of thousands of rows), bypassing the ORM.

SQLAlchemy's per-row parameter processing, and compiling a 1,000-row `.values()` per batch, made
a 50,000-person first sync take 43 s on SQLite and 85 s on PostgreSQL (bench/directory_sync.py);
this is the same work in raw SQL: multi-row VALUES on SQLite, COPY into a session temp table and
one INSERT … SELECT on PostgreSQL. Rows that hit a unique constraint (a concurrent run inserted
them first) are skipped, not errors.
"""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import chain

from sqlalchemy import Connection, DateTime, Table

#: Rows per statement on SQLite (its limit is 32,766 parameters).
SQLITE_ROWS = 1000


def insert_ignore(conn: Connection, table: Table, columns: tuple[str, ...], rows: list[tuple],
                  constants: dict[str, str] | None = None) -> int:
    """Insert `rows` (tuples in `columns` order) into `table`; returns how many were new.

    Args:
        constants: other columns as SQL literals, e.g. {"notify": "'[]'"}.
    """
    if not rows:
        return 0
    constants = constants or {}
    if conn.dialect.name == "sqlite":
        return _sqlite(conn, table, columns, rows, constants)
    return _postgresql(conn, table, columns, rows, constants)


def _sqlite_time(value: datetime | None) -> str | None:
    # SQLAlchemy's SQLite DateTime text format, in UTC (UTCDateTime reads it back as UTC)
    if value is None:
        return None
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


def _sqlite(conn, table, columns, rows, constants) -> int:
    times = [i for i, c in enumerate(columns)
             if isinstance(getattr(table.c[c].type, "impl", table.c[c].type), DateTime)]

    def convert(row: tuple) -> tuple | list:
        if not times:
            return row
        out = list(row)
        for i in times:
            out[i] = _sqlite_time(out[i])
        return out

    names = ", ".join([*columns, *constants])
    one = "(" + ", ".join(["?"] * len(columns) + list(constants.values())) + ")"
    created = 0
    for start in range(0, len(rows), SQLITE_ROWS):
        chunk = rows[start:start + SQLITE_ROWS]
        sql = (f"INSERT INTO {table.name} ({names}) VALUES " + ", ".join([one] * len(chunk))
               + " ON CONFLICT DO NOTHING RETURNING 1")
        params = tuple(chain.from_iterable(map(convert, chunk)))
        created += len(conn.exec_driver_sql(sql, params).fetchall())
    return created


def _postgresql(conn, table, columns, rows, constants) -> int:
    temp = f"{table.name}_bulk"
    types = ", ".join(f"{c} {table.c[c].type.compile(conn.dialect)}" for c in columns)
    names = ", ".join(columns)
    with conn.connection.dbapi_connection.cursor() as cur:
        cur.execute(f"CREATE TEMP TABLE IF NOT EXISTS {temp} ({types}) ON COMMIT DELETE ROWS")
        with cur.copy(f"COPY {temp} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        const_names = "".join(f", {c}" for c in constants)
        const_values = "".join(f", CAST({v} AS {table.c[c].type.compile(conn.dialect)})"
                               for c, v in constants.items())
        cur.execute(f"INSERT INTO {table.name} ({names}{const_names}) "
                    f"SELECT {names}{const_values} FROM {temp} ON CONFLICT DO NOTHING RETURNING 1")
        created = len(cur.fetchall())
        cur.execute(f"DELETE FROM {temp}")
    return created
