"""One deliverer at a time per store, released by the operating system if the process dies.

PostgreSQL: a session-level advisory lock on a dedicated connection (the server drops it when the
connection goes). SQLite: an exclusive `flock` on a file beside the database (the kernel drops it
when the process goes). So a SIGKILLed tick never leaves a stale lock, and two concurrent ticks
deliver one after the other instead of both sending the same rows.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text

from models.db import get_engine

#: Advisory lock id: "arshjul" delivery (any constant shared by all deliverers of a store).
LOCK_ID = 0x61726A6C


@contextmanager
def delivery_lock(url: str) -> Iterator[None]:
    """Hold the store's delivery lock for the duration of the block (waits for it)."""
    if url.startswith("postgresql"):
        with _advisory(url):
            yield
    elif url.startswith("sqlite"):
        with _flock(url):
            yield
    else:  # pragma: no cover - only the two supported stores
        raise RuntimeError(f"no delivery lock for {url.split(':', 1)[0]}")


@contextmanager
def _advisory(url: str) -> Iterator[None]:
    with get_engine(url).connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": LOCK_ID})
        conn.commit()
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": LOCK_ID})
            conn.commit()


@contextmanager
def _flock(url: str) -> Iterator[None]:
    path = url.split("///", 1)[-1]
    lock_path = Path(path + ".deliver-lock") if path and path != ":memory:" else None
    if lock_path is None:
        yield
        return
    with open(lock_path, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
