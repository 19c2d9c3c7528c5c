"""The calendar subscription route: GET /kalender/<token>.ics returns a person's feed.

The token is a signed link of kind `calendar` for one person
(models.cycle.calendar_feed.subscription_url);
calendar clients poll the URL, and the stable UIDs make each poll update rather than duplicate.
Register with `app.include_router(calendar_feed.router)` in portal.app.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from models import clock, db, links
from models.errors import NotFoundError
from models.links import verify_token
from models.org import Person

router = APIRouter()


def _feed(token: str) -> bytes | None:
    claims = verify_token(token, kind=links.CALENDAR, now=clock.now())
    with db.session() as session:
        person = session.get(Person, claims.person_id)
        if person is None or not person.active:
            return None
        try:
            from models.cycle.calendar_feed import person_feed  # icalendar: on first use

            return person_feed(claims.person_id, session=session, now=clock.now())
        except NotFoundError:
            return None


@router.get("/kalender/{token}.ics")
async def calendar_feed(token: str) -> Response:
    """The person's deadlines as iCalendar (text/calendar)."""
    body = await run_in_threadpool(_feed, token)
    if body is None:  # the person has left the organisation file
        return Response("Kalendern finns inte längre.\n", status_code=404, media_type="text/plain")
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"Cache-Control": "private, max-age=900"},
    )
