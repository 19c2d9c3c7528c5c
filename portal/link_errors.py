"""The pages of links that do not open, and how to get one that does.

* 410 (expired): the link was genuine. The page names the coordinators with their addresses and
  offers "Skicka mig en ny länk": a POST that mails a fresh link for the same subject to the
  address we already have for the link's person (never to an address typed in). At most one new
  link per link and day: the ledger's unique key is the rate limit.
* 403 (not ours, or not for this person any more): why, and the coordinators to ask.
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse

from models import clock, db, links, organisation
from models.notify import kinds, ledger
from models.roles import coordinators
from portal import pages, receipts
from portal.context import AccessDenied
from portal.posting import checked_form, csrf_for
from portal.texts import text

router = APIRouter()
NEW_LINK = kinds.NEW_LINK
#: Link kinds a fresh link can be sent for (they open a page for a person).
RENEWABLE = (links.ASSIGNMENT, links.CAMPAIGN, links.CAMPAIGN_UNIT)


def _lang() -> str:
    try:
        with db.session() as s:
            return organisation.info(session=s).language
    except Exception:  # an error page must render even when the store is unreachable
        return "sv"


def _coordinators() -> list:
    try:
        with db.session() as s:
            return coordinators(session=s)
    except Exception:  # the store is unreachable: the page still explains
        return []


def _page(key: str, body_key: str, status: int, token: str | None = None) -> HTMLResponse:
    lang, contacts = _lang(), _coordinators()
    who = ", ".join(p.name for p in contacts) or text("contact_fallback", lang)
    body = [text(body_key, lang), text("contact", lang, who=who)]
    return pages.page("message.html", lang, status, title=text(f"{key}_title", lang),
                      paragraphs=body, contacts=contacts, renew_token=token,
                      csrf=csrf_for(token) if token else "")


def _renewable(request: Request) -> str | None:
    token = (request.path_params or {}).get("token")
    try:
        claims = links.read_expired(token or "")
    except links.LinkError:
        return None
    return token if claims.kind in RENEWABLE and claims.person_id else None


def register(app: FastAPI) -> None:
    """The 410 and 403 pages of links."""

    @app.exception_handler(links.ExpiredLinkError)
    def expired(request: Request, exc: links.ExpiredLinkError):
        return _page("expired", "expired_body", 410, _renewable(request))

    @app.exception_handler(links.LinkError)
    def invalid(request: Request, exc: links.LinkError):
        return _page("invalid", "invalid_body", 403)

    @app.exception_handler(AccessDenied)
    def denied(request: Request, exc: AccessDenied):
        return _page("denied", "denied_body", 403)


@router.post("/ny-lank/{token}", response_class=HTMLResponse)
async def send_new_link(token: str, request: Request):
    await checked_form(request, token)
    claims = links.read_expired(token)  # TamperedLinkError: the 403 page
    if claims.kind not in RENEWABLE or not claims.person_id:
        raise links.TamperedLinkError("no fresh link for this kind of link")
    now = clock.now()
    with db.session() as s:
        lang = organisation.info(session=s).language
        item = ledger.LedgerItem(
            kind=NEW_LINK, subject=f"{claims.kind}:{claims.subject}",
            occasion=organisation.local_today(now, session=s).isoformat(),
            recipient_id=claims.person_id,
            payload=ledger.Content(
                title={"sv": "Din nya länk", "en": "Your new link"},
                note={"sv": "Du bad om en ny länk i svarsportalen.",
                      "en": "You asked for a new link in the response portal."},
                link={"kind": claims.kind, "subject": claims.subject}).model_dump())
        added = ledger.enqueue([item], session=s, now=now)
    if not added:
        return pages.message_page(lang, "new_link_sent", [text("new_link_limit", lang)], 429)
    response = pages.message_page(lang, "new_link_sent", [text("new_link_sent", lang)], 200)
    return receipts.with_delivery(response, [claims.person_id])
