"""The ledger writes of a delivery batch, in sending order, and the marks a process still owes.

A message's `sent` mark is written in one commit with the next ledger change of the batch (the
next message's claim, its failure, or the end of the batch), so the commit overlaps the SMTP
round trip instead of following every message (tasks/deliver.py).
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from models.notify import driver_sql, ledger


class Marks:
    """The batch's ledger writes, in sending order, each in one commit with the mark of the
    message sent before it (which is therefore never written on its own while more follow).

    A mark the store refuses (disk full, connection lost) is owed: kept in this process and
    written first by its next batch, so a retry of the same tick does not send it again.
    """

    def __init__(self, session: Session, now: datetime, url: str):
        self.session, self.now, self.url = session, now, url
        self.sent: tuple | None = None  # (row ids, digest id, note) accepted, not yet written

    def write(self, change=None, statements: list[driver_sql.Statement] = ()) -> None:
        """Commit the previous message's mark together with `change(session)` and the plain
        SQL `statements` (models/notify/driver_sql.py: on PostgreSQL the mark and these are
        one statement)."""
        try:
            if change:
                change(self.session)
            mark = [ledger.sent_statement(*self.sent[:2], now=self.now, note=self.sent[2])
                    ] if self.sent else []
            driver_sql.execute_all(self.session, [*mark, *statements], alone=True)
            self.session.commit()
        except BaseException:
            if self.sent:
                _OWED.setdefault(self.url, []).append((*self.sent, self.now))
            raise
        finally:
            self.sent = None

    def flush(self) -> None:
        """Write the last message's mark (the end of the batch)."""
        if self.sent:
            self.write()


#: Per store: marks of messages the server accepted that the store refused to record.
_OWED: dict[str, list[tuple]] = {}


def settle_owed(url: str, session: Session) -> None:
    """Write the marks this process owes the store before anything is read as deliverable."""
    owed = _OWED.get(url, [])
    while owed:
        ids, digest_id, note, at = owed[0]
        ledger.mark_sent(ids, digest_id, session=session, now=at, note=note)
        owed.pop(0)
