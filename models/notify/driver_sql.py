"""Plain SQL for the ledger writes a delivery makes per message (claim, mark sent).

Through SQLAlchemy Core each of them cost more than the database's own work (an expanding IN
list processed per execution, parameter binding, result set-up): half of the ledger's share of
a message. Here the statement text is made once per store dialect and IN-list length and run on
the driver's own cursor, inside the session's transaction (even `exec_driver_sql` set up more per
execution than SQLite took to run it); a driver error is raised as SQLAlchemy's, as there.

`execute_all` runs several such writes; on PostgreSQL as ONE statement (all but the last as
data-modifying CTEs), so the previous message's `sent` mark and the next message's claim cost
one round trip and one execution instead of two. The writes must touch disjoint rows (a row
updated twice in one PostgreSQL statement keeps only one of the changes): they do, being the
rows of two different digests.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from sqlalchemy import Connection, DateTime
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

_IDLE = 0  # psycopg.pq.TransactionStatus.IDLE (no transaction open)

#: One write: ("UPDATE … {p} … IN ({ids})", ids, params in the order of their {p}).
Statement = tuple[str, list[int], tuple]


@lru_cache(maxsize=256)
def _text(template: str, dialect: str, count: int) -> str:
    mark = "?" if dialect == "sqlite" else "%s"
    return template.format(ids=", ".join([mark] * count), p=mark)


@lru_cache(maxsize=256)
def _joined(parts: tuple[tuple[str, int], ...]) -> str:
    """PostgreSQL: the writes as one statement, all but the last as CTEs (in the same order)."""
    texts = [_text(template, "postgresql", count) for template, count in parts]
    ctes = ", ".join(f"w{i} AS ({sql})" for i, sql in enumerate(texts[:-1]))
    return f"WITH {ctes} {texts[-1]}" if ctes else texts[-1]


@lru_cache(maxsize=8)
def _datetime_processor(dialect):
    return DateTime().dialect_impl(dialect).bind_processor(dialect)


def execute_all(session: Session, statements: list[Statement], *, alone: bool = False) -> None:
    """Run the writes in order in the session's transaction (one statement on PostgreSQL);
    a write without ids is left out.

    `alone`: the caller commits right after, with nothing else in the transaction. On
    PostgreSQL, when the session's connection has no transaction open, the one statement then
    commits itself (autocommit): one round trip instead of three (BEGIN, it, COMMIT), and the
    session's commit sends nothing. It is as atomic either way, being one statement.
    """
    statements = [s for s in statements if s[1]]
    if not statements:
        return
    connection = session.connection()
    dialect = connection.dialect
    to_db = _datetime_processor(dialect)

    def bound(params: tuple) -> tuple:
        if to_db is None:
            return params
        return tuple(to_db(p) if isinstance(p, datetime) else p for p in params)

    if dialect.name == "postgresql":
        sql = _joined(tuple((template, len(ids)) for template, ids, _ in statements))
        values = [v for _, ids, params in statements for v in (*bound(params), *ids)]
        if alone:
            _run_alone(connection, sql, tuple(values))
        else:
            _run(connection, [(sql, tuple(values))])
        return
    _run(connection, [(_text(template, dialect.name, len(ids)), (*bound(params), *ids))
                      for template, ids, params in statements])


def _run(connection: Connection, statements: list[tuple[str, tuple]]) -> None:
    """Execute on the driver's cursor; its errors become SQLAlchemy's (OperationalError for a
    full disk or a lost connection, as the delivery task's retry condition expects), and a lost
    connection is invalidated as SQLAlchemy would."""
    dialect = connection.dialect
    cursor = connection.connection.cursor()
    sql, values = "", ()
    try:
        for sql, values in statements:
            cursor.execute(sql, values)
    except dialect.loaded_dbapi.Error as exc:
        lost = dialect.is_disconnect(exc, connection.connection.dbapi_connection, cursor)
        if lost:
            connection.invalidate(exc)
        raise DBAPIError.instance(sql, values, exc, dialect.loaded_dbapi.Error,
                                  hide_parameters=True, connection_invalidated=lost,
                                  dialect=dialect) from exc
    finally:
        cursor.close()


def _run_alone(connection: Connection, sql: str, values: tuple) -> None:
    """PostgreSQL: `sql` in autocommit when no transaction is open on the connection (psycopg
    sends BEGIN only before the first statement of one), else in the open one."""
    driver = connection.connection.dbapi_connection
    if driver.info.transaction_status != _IDLE:
        _run(connection, [(sql, values)])
        return
    driver.autocommit = True
    try:
        _run(connection, [(sql, values)])
    finally:
        if not driver.closed:
            driver.autocommit = False
