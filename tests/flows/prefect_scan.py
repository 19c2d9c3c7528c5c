"""Search a SQLite database for personal data: every table, every column, as text.

Used on the Prefect server's database (which must hold ids and counts only) and, as the positive
control, on our own store (which holds the same people, so the same search must find them there).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

#: tables every Prefect database has once flows have run: the scan must reach them
PREFECT_TABLES = {"flow_run", "task_run", "log", "artifact", "events"}


def spellings(needle: str) -> set[str]:
    """`needle` as stored in plain text and inside JSON with non-ASCII escaped (\\u00f6)."""
    lowered = needle.lower()
    return {lowered, json.dumps(lowered)[1:-1]}


def as_text(value: object) -> str:
    """A column value as lower-case text (bytes decoded as UTF-8, JSON kept as written)."""
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).decode("utf-8", errors="replace").lower()
    return str(value).lower()


def scan(path: Path, needles: set[str], tables: bool = True) -> dict[str, set[str]]:
    """Which needles occur in which table of the SQLite database at `path` (case-insensitive).

    Args:
        path: the database file.
        needles: names, e-mail addresses and other strings that must (not) be there.
        tables: check that Prefect's own tables are among those searched.
    """
    found: dict[str, set[str]] = {}
    variants = {needle: spellings(needle) for needle in needles}
    with sqlite3.connect(path) as conn:
        names = [t for (t,) in conn.execute("select name from sqlite_master where type='table'")]
        if tables:
            assert PREFECT_TABLES <= set(names), names
        for table in names:
            for row in conn.execute(f'select * from "{table}"'):
                blob = " ".join(as_text(v) for v in row if v is not None)
                for needle, forms in variants.items():
                    if any(form in blob for form in forms):
                        found.setdefault(table, set()).add(needle)
    return found
