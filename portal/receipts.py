"""The receipt message after a submission, recorded in the notification ledger.

The ledger row is written in the same transaction as the submitted version, so a receipt exists
exactly when a version does; the next delivery batch (every tick) sends it in the person's digest.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from models.cycle.responses import ResponseVersion
from models.notify import kinds, ledger
from portal.context import Opened
from portal.texts import text

RECEIPT = kinds.RECEIPT


def enqueue_receipt(
    opened: Opened, version: ResponseVersion, *, session: Session, now: datetime
) -> None:
    """Record the receipt of `version` for the person who submitted it (commits the session)."""
    step = opened.step
    note = {
        lang: text("receipt_note", lang, n=version.version, scope=opened.scope_name)
        for lang in ("sv", "en")
    }
    content = ledger.Content(
        title={"sv": step.title_sv, "en": step.title_en},
        due=step.due.isoformat(),
        scope=opened.scope_name,
        note=note,
        link={"kind": "assignment", "subject": str(opened.assignment.id)},
    )
    item = ledger.LedgerItem(
        kind=RECEIPT,
        subject=f"assignment:{opened.assignment.id}",
        occasion=f"v{version.version}",
        recipient_id=version.submitted_by,
        payload=content.model_dump(),
        step_instance_id=step.id,
        assignment_id=opened.assignment.id,
    )
    ledger.enqueue([item], session=session, now=now)
