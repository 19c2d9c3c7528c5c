"""Plain SQL for the two ledger writes a delivery makes per message (claim, mark sent).

Through SQLAlchemy Core each of them cost more than the database's own work (an expanding IN
list processed per execution, parameter binding, result set-up): half of the ledger's share of
a message. Here the statement text is made once per store dialect and IN-list length and handed
to the driver as it is (`exec_driver_sql`, still inside the session's transaction).
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from sqlalchemy import DateTime
from sqlmodel import Session


@lru_cache(maxsize=256)
def _text(template: str, dialect: str, count: int) -> str:
    mark = "?" if dialect == "sqlite" else "%s"
    return template.format(ids=", ".join([mark] * count), p=mark)


@lru_cache(maxsize=8)
def _datetime_processor(dialect):
    return DateTime().dialect_impl(dialect).bind_processor(dialect)


def execute(session: Session, template: str, ids: list[int], *params) -> None:
    """Run `template` ("… {p} … IN ({ids})") with `params` (in order) then the `ids`.

    Datetimes are bound as the store's SQLAlchemy type would bind them (SQLite: text).
    """
    if not ids:
        return
    connection = session.connection()
    dialect = connection.dialect
    to_db = _datetime_processor(dialect)
    if to_db is not None:
        params = tuple(to_db(p) if isinstance(p, datetime) else p for p in params)
    sql = _text(template, dialect.name, len(ids))
    connection.exec_driver_sql(sql, (*params, *ids))
