"""The receipt message after a submission, recorded in the notification ledger and delivered at
once.

The ledger row is written in the same transaction as the submitted version, so a receipt exists
exactly when a version does. Right after the response the portal delivers that person's
deliverable rows through the ordinary delivery code (tasks.deliver.deliver_to),
so the receipt arrives within seconds; the ledger makes it once, and if the mail server is down
the next tick retries it like any other message.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlmodel import Session
from starlette.background import BackgroundTask
from starlette.responses import Response

from models import clock
from models.cycle.responses import ResponseVersion
from models.notify import kinds, ledger
from models.notify.plan import assignment_link
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
        link=assignment_link(opened.assignment.id, step.due, str(opened.tz)),
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


log = logging.getLogger("arshjul.portal")


def deliver_now(recipient_ids: list[str]) -> None:
    """Deliver what the ledger holds for `recipient_ids` now (a receipt, a fresh link, …).

    A failure is left to the ledger: the row stays deliverable and the next tick sends it.
    """
    # The one delivery code; it brings Prefect's task decorator along (about 35 MB and a second
    # or two of CPU, in this background thread), so the portal loads it at its first delivery,
    # not at start: a portal that only shows pages never holds Prefect (bench/serve_memory.py).
    from tasks.deliver import deliver_to

    try:
        deliver_to(recipient_ids, clock.now())
    except Exception as exc:  # the answer is stored; the tick delivers what is left
        log.warning("immediate delivery failed, left to the next tick: %s", type(exc).__name__)


def with_delivery(response: Response, recipient_ids: list[str]) -> Response:
    """`response`, delivering the recipients' messages once it has been sent."""
    response.background = BackgroundTask(deliver_now, list(recipient_ids))
    return response
