"""Sign-in pages: ask for a link, open it (a button, so mail scanners that fetch links do not use
it up), OpenID Connect (portal.coordinator.oidc), and sign-out.

    GET  /logga-in            the form (sets the pre-sign-in cookie its CSRF value is keyed on)
    POST /logga-in            records the request; mails a link to a known address; same answer
    GET  /logga-in/<token>    "Logga in" button, or 410 when the link is used or expired
    POST /logga-in/<token>    uses the link: a new session and cookie (any old session ends)
    POST /logga-ut            ends the session
"""

from __future__ import annotations

from fastapi import APIRouter, BackgroundTasks, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from models import clock, db
from models.coordinator.signin import end_session, link_is_usable, redeem_link, request_link
from models.settings import get_settings
from portal.coordinator import auth
from portal.coordinator.mail import send_signin_mail
from portal.coordinator.render import message, page
from portal.coordinator.texts import text
from portal.security import csrf_token

router = APIRouter()


@router.get("/logga-in", response_class=HTMLResponse)
async def signin_form(request: Request):
    lang = auth.language()
    form_cookie = auth.fresh_form_cookie(request)
    response = page("signin.html", lang, title=text("signin_title", lang),
                    csrf=auth.form_csrf(form_cookie), oidc=bool(get_settings().oidc_issuer),
                    minutes=get_settings().signin_link_minutes)
    auth.set_cookie(response, auth.FORM_COOKIE, form_cookie, max_age=3600)
    return response


@router.post("/logga-in", response_class=HTMLResponse)
async def signin_request(request: Request, background: BackgroundTasks):
    form = await auth.posted(request, "signin:" + request.cookies.get(auth.FORM_COOKIE, "\0"))
    lang = auth.language()
    client = request.client.host if request.client else ""
    with db.session() as s:
        asked = request_link(str(form.get("email") or ""), client, session=s, now=clock.now())
    if asked.limited:
        return message(lang, "signin_limited", 429)
    if asked.token is not None:
        url = f"{get_settings().portal_url.rstrip('/')}/logga-in/{asked.token}"
        background.add_task(send_signin_mail, asked.person.name, asked.person.email, url, lang)
    return message(lang, "signin_sent", 200, minutes=get_settings().signin_link_minutes)


def _refused(lang: str):
    return message(lang, "signin_refused", 410, link=("/logga-in", text("ask_again", lang)))


@router.get("/logga-in/{token}", response_class=HTMLResponse)
async def signin_confirm(token: str):
    lang = auth.language()
    with db.read_session() as s:
        if not link_is_usable(token, session=s, now=clock.now()):
            return _refused(lang)
    csrf = csrf_token("signin-link:" + token, get_settings().secret_key.get_secret_value())
    return page("signin_confirm.html", lang, title=text("signin_confirm_title", lang),
                token=token, csrf=csrf)


@router.post("/logga-in/{token}", response_class=HTMLResponse)
async def signin_use(token: str, request: Request):
    await auth.posted(request, "signin-link:" + token)
    with db.session() as s:
        cookie = redeem_link(token, request.cookies.get(auth.COOKIE), session=s, now=clock.now())
    if cookie is None:
        return _refused(auth.language())
    response = RedirectResponse("/oversikt", status_code=303)
    auth.set_cookie(response, auth.COOKIE, cookie)
    response.delete_cookie(auth.FORM_COOKIE, path="/")
    return response


@router.post("/logga-ut")
async def signout(request: Request):
    await auth.session_post(request)
    cookie = request.cookies.get(auth.COOKIE)
    if cookie:
        with db.session() as s:
            end_session(cookie, session=s)
    response = RedirectResponse("/logga-in", status_code=303)
    response.delete_cookie(auth.COOKIE, path="/", secure=True, httponly=True, samesite="lax")
    return response
