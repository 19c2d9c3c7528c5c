"""The response portal: FastAPI routes for answering one assignment through a signed link.

    GET  /a/<token>          the assignment and its form (draft, else the latest version)
    POST /a/<token>          action=save | submit | add-row:<q> | remove-row:<q>:<i>
    GET  /a/<token>/kvitto   the receipt of the latest submitted version
    GET  /healthz            "ok" (load balancers; the benchmark's baseline)

Other areas add routers here: /kalender/<token>.ics (calendar feed), /incident/<token> (incident
reports by units).

Pages are server-rendered and work without JavaScript. See portal.security for the defences and
portal.context for when a step closes.
"""

from __future__ import annotations

from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import IntegrityError, OperationalError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException as StarletteHTTPException

from models import clock, db, organisation, roles
from models.cycle.answers import add_row, check, raw_from_post, remove_row
from models.cycle.responses import save_draft, submit
from models.cycle.tables import Assignment
from models.records import registers
from models.settings import get_settings
from models.signing_key import signing_key
from portal import campaign_pages, link_errors, oversight, pages, receipts
from portal.context import AccessDenied, Opened, open_link
from portal.posting import CrossSitePost
from portal.security import (
    BodyTooLarge,
    SecurityMiddleware,
    check_secret_key,
    csrf_ok,
    csrf_token,
    same_origin,
)
from portal.texts import text


def create_app() -> FastAPI:
    """Build the portal app; refuses a missing or default secret key outside demo mode."""
    settings = get_settings()
    check_secret_key(settings)
    app = FastAPI(
        title="arshjul portal", docs_url=None, redoc_url=None, openapi_url=None, lifespan=_lifespan
    )
    app.add_middleware(SecurityMiddleware, max_body=settings.portal_max_body)
    app.mount("/static", StaticFiles(directory=pages.STATIC), name="static")
    _routes(app)
    _other_routes(app)
    _errors(app)
    return app


#: How often a POST is tried when concurrent submissions of one assignment collide.
SUBMIT_ATTEMPTS = 5

#: Threads serving posts (and other areas' pages) per process. That work is CPU-bound under the
#: GIL, and more threads than the store's connection pool (5) only churn overflow connections
#: (each new SQLite connection runs its PRAGMAs), so requests beyond this wait in the event loop.
PAGE_THREADS = 5


@asynccontextmanager
async def _lifespan(app: FastAPI):
    anyio.to_thread.current_default_thread_limiter().total_tokens = PAGE_THREADS
    yield


def _other_routes(app: FastAPI) -> None:
    # Other areas' pages behind the same headers, body limit and link-error pages.
    from portal import calendar_feed, coordinator, incidents

    app.include_router(calendar_feed.router)
    app.include_router(incidents.router)
    app.include_router(campaign_pages.router)
    app.include_router(oversight.router)
    app.include_router(link_errors.router)
    coordinator.install(app)


def _secret() -> str:
    return signing_key()


def _open(token: str, s) -> Opened:
    return open_link(token, session=s, now=clock.now())


def _routes(app: FastAPI) -> None:
    @app.get("/healthz", response_class=PlainTextResponse)
    def healthz() -> str:
        return "ok"

    # The pages are served on the event loop itself, not in the thread pool: their two reads
    # never wait for a lock (SQLite WAL, PostgreSQL MVCC) and take well under a millisecond, and
    # a thread hop plus GIL contention between page threads cost more CPU than the page itself
    # (bench/portal.py: PostgreSQL form page p95 45 → 24 ms, server CPU 1.8 → 1.3 ms per page).
    # Posts, which write and may wait for SQLite's one writer, stay in the thread pool.
    # The link's page is a plain Starlette route that reads its token and `sparat` from the
    # Request: FastAPI's dependency solving and validation of two strings cost ≈ 15 % of a form
    # page's server CPU (0.42-0.44 -> 0.35-0.38 ms in-process on SQLite). It answers HEAD too.
    async def show(request: Request):
        token = request.path_params["token"]
        sparat = request.query_params.get("sparat", "")
        with db.read_session() as s:
            opened = _open(token, s)
            if opened.access == roles.UNIT_PROGRESS:
                return campaign_pages.step_unit_page(opened, session=s, now=clock.now())
            if opened.access == roles.OVERSEE:
                return oversight.overview_page(opened, token, s, now=clock.now())
            return _form_or_readonly(opened, token, sparat, s)

    app.add_route("/a/{token}", show, methods=["GET"])

    @app.get("/a/{token}/svara", response_class=HTMLResponse)
    async def show_on_behalf(token: str, sparat: str = ""):
        with db.read_session() as s:
            opened = _open(token, s)
            if opened.access != roles.OVERSEE:
                return RedirectResponse(f"/a/{token}", status_code=303)
            return _form_or_readonly(opened, token, sparat, s)

    @app.get("/a/{token}/kvitto", response_class=HTMLResponse)
    async def receipt(token: str):
        with db.read_session() as s:
            opened = _open(token, s)
            if opened.latest is None:
                return RedirectResponse(f"/a/{token}", status_code=303)
            return pages.receipt_page(opened, token)

    @app.post("/a/{token}", response_class=HTMLResponse)
    @app.post("/a/{token}/svara", response_class=HTMLResponse)
    async def answer(token: str, request: Request):
        posted = await request.form(max_files=0, max_fields=5000)
        headers = request.headers
        origin_ok = same_origin(
            headers.get("origin"), headers.get("host"), headers.get("sec-fetch-site")
        )
        for attempt in range(SUBMIT_ATTEMPTS):
            try:
                return await run_in_threadpool(_answer, token, posted, origin_ok)
            except (IntegrityError, OperationalError):
                # A concurrent submission of the same assignment won (see models.cycle.responses.
                # submit); this transaction rolled back whole. Try again on fresh rows.
                if attempt == SUBMIT_ATTEMPTS - 1:
                    raise


def _form_or_readonly(opened: Opened, token: str, sparat: str, session):
    if opened.closed:
        return pages.readonly_page(opened)
    raw, note = pages.starting_raw(opened, session)
    notice = text("saved", opened.lang) if sparat else None
    return pages.form_page(
        opened, token, csrf_token(token, _secret()), raw, {}, notice=notice, draft_note=note
    )


def _answer(token: str, posted: FormData, origin_ok: bool):
    with db.session() as s:
        opened = _open(token, s)
        if not origin_ok or not csrf_ok(token, _secret(), posted.get("csrf")):
            raise CrossSitePost()
        if opened.form is None:
            raise AccessDenied("a campaign step is answered by the campaign, not a form")
        if opened.closed:
            return pages.readonly_page(opened, status=409)
        raw = raw_from_post(opened.form, posted.getlist)
        action = str(posted.get("action") or "save")
        if action.startswith(("add-row:", "remove-row:")):
            return _change_rows(opened, token, raw, action, s)
        if action == "submit":
            return _submit(opened, token, raw, s)
        return _save(opened, token, raw, s)


def _change_rows(opened: Opened, token: str, raw: dict, action: str, s):
    parts = action.split(":")
    try:
        question = opened.form.question(parts[1])
    except KeyError:
        question = None
    if question is not None and question.type == "table":
        if parts[0] == "add-row":
            raw = add_row(question, raw)
        elif len(parts) == 3 and parts[2].isdigit():
            raw = remove_row(question, raw, int(parts[2]))
    save_draft(
        opened.assignment.id, opened.form.id, raw, opened.person.id, session=s, now=clock.now()
    )
    anchor = f"#f-{question.id}" if question else ""
    return RedirectResponse(f"{pages.form_path(opened, token)}{anchor}", status_code=303)


def _save(opened: Opened, token: str, raw: dict, s):
    checked = check(opened.form, raw, lang=opened.lang, final=False)
    save_draft(
        opened.assignment.id, opened.form.id, raw, opened.person.id, session=s, now=clock.now()
    )
    if checked.ok:
        return RedirectResponse(f"{pages.form_path(opened, token)}?sparat=1", status_code=303)
    return pages.form_page(
        opened,
        token,
        csrf_token(token, _secret()),
        raw,
        checked.errors,
        notice=text("saved", opened.lang),
        status=422,
    )


def _submit(opened: Opened, token: str, raw: dict, s):
    checked = check(opened.form, raw, lang=opened.lang, final=True)
    now = clock.now()
    if not checked.ok:
        save_draft(opened.assignment.id, opened.form.id, raw, opened.person.id, session=s, now=now)
        return pages.form_page(
            opened, token, csrf_token(token, _secret()), raw, checked.errors, status=422
        )
    assignment = s.get(Assignment, opened.assignment.id)
    version = submit(
        assignment, opened.form.id, checked.values, opened.person.id, session=s, now=now,
        on_behalf=opened.on_behalf,
    )
    # A register's yearly review: the submitted rows become the scope's register.
    registers.on_submitted(opened.form.id, assignment.scope_kind, assignment.scope_id,
                           checked.values, session=s, now=now, by=opened.person.id)
    receipts.enqueue_receipt(opened, version, session=s, now=now)
    return receipts.with_delivery(RedirectResponse(f"/a/{token}/kvitto", status_code=303),
                                  [version.submitted_by])


def _errors(app: FastAPI) -> None:
    link_errors.register(app)

    def lang() -> str:
        try:
            with db.session() as s:
                return organisation.info(session=s).language
        except Exception:  # an error page must render even when the store is unreachable
            return "sv"

    @app.exception_handler(CrossSitePost)
    def cross_site(request: Request, exc: CrossSitePost):
        language = lang()
        body = [text("forbidden_post_body", language)]
        return pages.message_page(language, "forbidden_post", body, 403)

    @app.exception_handler(BodyTooLarge)
    def too_large(request: Request, exc: BodyTooLarge):
        return HTMLResponse(pages.too_large_html(), status_code=413)

    @app.exception_handler(StarletteHTTPException)
    def http_error(request: Request, exc: StarletteHTTPException):
        # 404, 405, 400 (an unreadable form body) and the rest as pages, not FastAPI's JSON
        return _status_page(lang(), exc.status_code, exc.headers)

    @app.exception_handler(RequestValidationError)
    def unprocessable(request: Request, exc: RequestValidationError):
        return _status_page(lang(), 422)


#: status → the portal texts of its page (other statuses get the 400 page's words)
_STATUS_TEXTS = {404: "not_found", 405: "method", 422: "unprocessable"}


def _status_page(language: str, status: int, headers: dict | None = None) -> HTMLResponse:
    """An error status as a page in the portal's layout and the organisation's language."""
    key = _STATUS_TEXTS.get(status, "bad_request")
    response = pages.message_page(language, key, [text(f"{key}_body", language)], status)
    for name, value in (headers or {}).items():  # e.g. Allow on 405
        response.headers[name] = value
    return response
