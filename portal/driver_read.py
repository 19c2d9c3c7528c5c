"""A page's one read statement run on the driver's cursor, not through SQLAlchemy's execution.

The form page reads one wide row set per request (portal.reads.page_rows: 39 columns). Through
SQLAlchemy each execution sets up result metadata from the cursor's description, and psycopg
builds a column object per column for it: as much CPU as the rest of the read. Here the
statement is compiled once per store dialect (its text and every parameter but the request's),
run on the session's own DBAPI connection (inside its transaction, like models.notify.
driver_sql), and each row's values go through the same result processors SQLAlchemy would apply
(SQLite's dates and JSON are text; psycopg converts them itself), so a row is what
`connection.execute` would give, as a plain tuple.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy.sql import Select
from sqlmodel import Session


@lru_cache(maxsize=16)
def _compiled(statement: Select, dialect) -> tuple[str, dict, tuple | None, list]:
    """The statement's text, its parameters' own values, the positional order (or None for
    named parameters) and each column's result processor (None: as the driver returns it)."""
    compiled = statement.compile(dialect=dialect)
    names = [b.key for b in compiled.binds.values() if b.required]
    own = compiled.construct_params({name: None for name in names}, _check=False)
    order = tuple(compiled.positiontup) if compiled.positional else None
    processors = [
        c.type.dialect_impl(dialect).result_processor(dialect, None)
        for c in statement.selected_columns
    ]
    return compiled.string, own, order, processors


def rows(session: Session, statement: Select, params: dict[str, Any]) -> list[tuple]:
    """Run `statement` (built once, no expanding IN lists) with `params` (plain ints and strings:
    no bind processing) on the session's connection; its rows as tuples in column order."""
    connection = session.connection()
    sql, own, order, processors = _compiled(statement, connection.dialect)
    values = {**own, **params}
    cursor = connection.connection.cursor()
    try:
        cursor.execute(sql, tuple(values[n] for n in order) if order is not None else values)
        found = cursor.fetchall()
    finally:
        cursor.close()
    if not any(processors):
        return found
    pairs = [(i, p) for i, p in enumerate(processors) if p is not None]
    out = []
    for row in found:
        row = list(row)
        for i, process in pairs:
            row[i] = process(row[i])
        out.append(tuple(row))
    return out
