"""Who is signed in: the session cookie, the role checks and the CSRF value of signed-in pages.

The cookie is `Secure`, `HttpOnly` and `SameSite=Lax` and holds a random value whose hash names a
session row (models.coordinator.signin). Every POST is checked as the response portal's are
(portal.security: same origin and an HMAC CSRF value), keyed here on the session cookie, or on
the short-lived pre-sign-in cookie of the sign-in form.
"""

from __future__ import annotations

from contextlib import nullcontext

from fastapi import Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from models import clock, db, organisation
from models.coordinator.signin import end_session, new_secret, session_state_viewer, touch_session
from models.roles import Viewer
from models.signing_key import signing_key
from portal.security import csrf_ok, csrf_token, same_origin

COOKIE = "arshjul_samordning"
#: Set by the sign-in form page; its CSRF value is keyed on it (there is no session yet).
FORM_COOKIE = "arshjul_inloggning"


class NotSignedIn(Exception):
    """No valid session: the browser is sent to the sign-in page."""


class NotAllowed(Exception):
    """Signed in, but this page or action is not for this person's roles or scopes."""


class CrossSite(Exception):
    """A POST without the page's CSRF value, or from another origin."""


def set_cookie(response: Response, name: str, value: str, max_age: int | None = None) -> None:
    """A cookie with the flags the web view always uses."""
    response.set_cookie(name, value, max_age=max_age, path="/", secure=True, httponly=True,
                        samesite="lax")


def viewer(request: Request, session=None) -> Viewer:
    """The signed-in viewer of the request (NotSignedIn otherwise).

    Read through the autocommit reader in one query (session, person and roles; no transaction
    round trips on PostgreSQL; pass the page's own read session to share its connection); the
    session row is written only when its last use is recorded (once a minute) or it has expired.
    """
    cookie, now = request.cookies.get(COOKIE), clock.now()
    with nullcontext(session) if session is not None else db.read_session() as s:
        _, state, found = session_state_viewer(cookie, session=s, now=now)
    if state == "touch":
        with db.session() as s:
            touch_session(cookie, session=s, now=now)
    elif state == "expired":
        with db.session() as s:
            end_session(cookie, session=s)
    if found is None:
        raise NotSignedIn()
    return found


def editor(request: Request) -> Viewer:
    """The signed-in viewer, who must hold an organisation-wide role (NotAllowed otherwise)."""
    found = viewer(request)
    if not found.may_edit:
        raise NotAllowed()
    return found


def language() -> str:
    """The organisation's language."""
    with db.read_session() as s:
        return organisation.info(session=s).language


def _secret() -> str:
    return signing_key()


def session_csrf(request: Request) -> str:
    """The CSRF value of the signed-in pages of this browser."""
    return csrf_token("session:" + request.cookies.get(COOKIE, ""), _secret())


def form_csrf(form_cookie: str) -> str:
    """The CSRF value of a sign-in form page whose pre-sign-in cookie is `form_cookie`."""
    return csrf_token("signin:" + form_cookie, _secret())


def fresh_form_cookie(request: Request) -> str:
    """The browser's pre-sign-in cookie value, or a new one."""
    return request.cookies.get(FORM_COOKIE) or new_secret()


async def posted(request: Request, key: str) -> FormData:
    """The posted form, once its origin and CSRF value (an HMAC of `key`) are checked."""
    form = await request.form(max_files=0, max_fields=200)
    headers = request.headers
    if not same_origin(headers.get("origin"), headers.get("host"), headers.get("sec-fetch-site")):
        raise CrossSite()
    if not csrf_ok(key, _secret(), form.get("csrf")):
        raise CrossSite()
    return form


async def session_post(request: Request) -> FormData:
    """A signed-in page's posted form (CSRF keyed on the session cookie)."""
    return await posted(request, "session:" + request.cookies.get(COOKIE, ""))


class NotFound(Exception):
    """No such step, unit or person."""
