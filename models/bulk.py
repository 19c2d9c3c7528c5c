"""Bulk inserts for region-sized batches (tens of thousands of rows), bypassing the ORM.

SQLAlchemy's per-row parameter processing, and compiling a 1,000-row `.values()` per batch, made
a 50,000-person first sync take 43 s on SQLite and 85 s on PostgreSQL (bench/directory_sync.py);
this is the same work in raw SQL: multi-row VALUES on SQLite; on PostgreSQL COPY into a session
temp table and one INSERT … SELECT, or, when the caller expects the rows to be new, COPY straight
into the table (falling back to the former on a conflict). Rows that hit a unique constraint (a
concurrent run inserted them first) are skipped, not errors.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable
from datetime import UTC, datetime
from itertools import chain

from sqlalchemy import JSON, Connection, DateTime, Table

#: Rows per statement on SQLite (its limit is 32,766 parameters).
SQLITE_ROWS = 1000


def insert_ignore(conn: Connection, table: Table, columns: tuple[str, ...], rows: list[tuple],
                  constants: dict[str, str] | None = None, *, expect_new: bool = False) -> int:
    """Insert `rows` (tuples in `columns` order) into `table`; returns how many were new.

    Rows go in in the given order (ids follow it). JSON columns take Python values.

    Args:
        constants: other columns as SQL literals, e.g. {"notify": "'[]'"}.
        expect_new: the caller has already left out the rows it knows exist, so a conflict is
            rare (a concurrent run). PostgreSQL then copies straight into the table and falls
            back to the conflict-skipping path only on a conflict; without it (the ledger,
            whose re-runs offer rows that exist) the fallback would mean copying twice.
    """
    if not rows:
        return 0
    constants = constants or {}
    if conn.dialect.name == "sqlite":
        return _sqlite(conn, table, columns, rows, constants)
    if expect_new:
        return _postgresql(conn, table, columns, rows, constants)
    return _insert_select(conn, table, columns, rows, constants)


def _base_type(table: Table, column: str):
    kind = table.c[column].type
    return getattr(kind, "impl", kind)  # a TypeDecorator's storage type


def _converter(table: Table, columns: tuple[str, ...],
               convert: dict[type, Callable]) -> Callable[[tuple], tuple | list]:
    """A function that converts the values of columns whose type is in `convert`."""
    plan = [(i, f) for i, c in enumerate(columns)
            for kind, f in convert.items() if isinstance(_base_type(table, c), kind)]
    if not plan:
        return lambda row: row

    def apply(row: tuple) -> list:
        out = list(row)
        for i, f in plan:
            out[i] = f(out[i])
        return out

    return apply


def _json(value) -> str | None:
    # what SQLAlchemy's JSON type binds (json.dumps); None stays SQL NULL
    return None if value is None else json.dumps(value)


def _sqlite_time(value: datetime | None) -> str | None:
    # SQLAlchemy's SQLite DateTime text format, in UTC (UTCDateTime reads it back as UTC): the
    # first 26 characters of the ISO form, without the "+00:00" that follows
    if value is None:
        return None
    return value.astimezone(UTC).isoformat(sep=" ", timespec="microseconds")[:26]


def _sqlite(conn, table, columns, rows, constants) -> int:
    convert = _converter(table, columns, {DateTime: _sqlite_time, JSON: _json})
    names = ", ".join([*columns, *constants])
    one = "(" + ", ".join(["?"] * len(columns) + list(constants.values())) + ")"
    created = 0
    for start in range(0, len(rows), SQLITE_ROWS):
        chunk = rows[start:start + SQLITE_ROWS]
        sql = (f"INSERT INTO {table.name} ({names}) VALUES " + ", ".join([one] * len(chunk))
               + " ON CONFLICT DO NOTHING")
        params = tuple(chain.from_iterable(map(convert, chunk)))
        # rowcount is sqlite3_changes(): the rows inserted, not those skipped on a conflict
        created += conn.exec_driver_sql(sql, params).rowcount
    return created


def _copy_to_temp(cur, table: Table, columns: tuple[str, ...], rows: list[tuple], dialect) -> str:
    """COPY `rows` into an empty session temp table shaped like `table`'s `columns`; its name.

    The temp table lives as long as the connection (emptied at commit) and has a `bulk_seq`
    column that numbers rows in the order given.
    """
    names = ", ".join(columns)
    temp = f"{table.name}_bulk_{zlib.crc32(names.encode()):08x}"  # one per column set
    types = ", ".join(f"{c} {table.c[c].type.compile(dialect)}" for c in columns)
    cur.execute(f"CREATE TEMP TABLE IF NOT EXISTS {temp} "
                f"(bulk_seq bigint GENERATED ALWAYS AS IDENTITY, {types}) ON COMMIT DELETE ROWS")
    _copy_rows(cur, temp, table, columns, rows)
    return temp


def _postgresql(conn, table, columns, rows, constants) -> int:
    from psycopg.errors import UniqueViolation  # only PostgreSQL stores load the driver

    dbapi = conn.connection.dbapi_connection
    try:
        # Straight into the table: the caller left out the rows it knows exist
        with dbapi.transaction(), dbapi.cursor() as cur:  # a savepoint in the open transaction
            _copy_rows(cur, table.name, table, columns, rows,
                       {c: _text_literal(v) for c, v in constants.items()})
        return len(rows)
    except UniqueViolation:
        pass  # a concurrent run inserted some of them first: skip those, row by row, below
    return _insert_select(conn, table, columns, rows, constants)


def _text_literal(sql: str) -> str:
    """A constant's SQL literal (`'[]'`, `0`) as the text COPY takes for it."""
    return sql[1:-1].replace("''", "'") if sql.startswith("'") else sql


def _copy_rows(cur, target: str, table: Table, columns: tuple[str, ...], rows: list[tuple],
               constants: dict[str, str] | None = None) -> None:
    """COPY `rows` (in `table`'s `columns`) into `target`, each followed by `constants` (text)."""
    constants = constants or {}
    extra = tuple(constants.values())
    convert = _converter(table, columns, {JSON: _json})
    names = ", ".join([*columns, *constants])
    with cur.copy(f"COPY {target} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row((*convert(row), *extra) if extra else convert(row))


def _insert_select(conn, table, columns, rows, constants) -> int:
    names = ", ".join(columns)
    const_names = "".join(f", {c}" for c in constants)
    const_values = "".join(f", CAST({v} AS {table.c[c].type.compile(conn.dialect)})"
                           for c, v in constants.items())
    with conn.connection.dbapi_connection.cursor() as cur:
        temp = _copy_to_temp(cur, table, columns, rows, conn.dialect)
        cur.execute(f"INSERT INTO {table.name} ({names}{const_names}) "
                    f"SELECT {names}{const_values} FROM {temp} ORDER BY bulk_seq "
                    "ON CONFLICT DO NOTHING")
        created = cur.rowcount  # from "INSERT 0 n": the rows inserted, not those skipped
        cur.execute(f"DELETE FROM {temp}")
    return created
