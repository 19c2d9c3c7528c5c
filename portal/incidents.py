"""Reporting an incident through a unit's signed link.

    GET  /incident/<token>        the report form (category, kind, equipment, time of awareness, …)
    POST /incident/<token>        register it; errors re-show the form with the input kept
    GET  /incident/<token>/klar   confirmation with the legal deadlines in local time

The token is a signed link of kind `incident-report` whose subject is the unit id (issued by
`arshjul incident link --unit U [--person P]`). With a person in the token, the incident is
registered as reported by that person. Register with `app.include_router(incidents.router)`.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool

from models import clock, db, links, organisation
from models.incidents.problems import IncidentInputError, Problem
from models.incidents.register import (
    CATEGORIES,
    EQUIPMENT_TYPES,
    SUBKINDS,
    Incident,
    NewIncident,
    check_new,
    normalised,
    org_timezone,
    parse_time,
    register_incident,
)
from models.incidents.views import clock_rows
from models.links import LinkClaims, verify_token
from models.org import Person, Unit
from models.signing_key import signing_key
from portal import pages
from portal.security import csrf_ok, csrf_token, same_origin
from tasks.watch_request import request_clock_watch

KIND = links.INCIDENT_REPORT
FIELDS = ("category", "kind", "equipment", "aware_at", "description", "personal_data", "nis2")
router = APIRouter()

WORDS = {
    "sv": {
        "title": "Rapportera en incident",
        "category": "Kategori",
        "kind": "Typ",
        "equipment": "Utrustning (borttappad/stulen)",
        "aware": "När fick ni kännedom om den?",
        "description": "Vad hände?",
        "pd": "Personuppgifter berörs",
        "nis2": "Betydande incident enligt NIS2 (allvarlig driftstörning eller skada)",
        "send": "Skicka",
        "choose": "– välj –",
        "errors": "Rätta följande",
        "done": "Incidenten är registrerad",
        "number": "Incidentnummer",
        "deadlines": "Lagstadgade tidsfrister",
        "none": "Inga lagstadgade tidsfrister.",
        "lead": "Rapportera så snart ni upptäcker incidenten. Dataskyddsombudet och "
        "IT-säkerhetsansvarig får besked inom en kvart.",
        "unit": "Enhet",
    },
    "en": {
        "title": "Report an incident",
        "category": "Category",
        "kind": "Kind",
        "equipment": "Equipment (lost/stolen)",
        "aware": "When did you become aware of it?",
        "description": "What happened?",
        "pd": "Personal data involved",
        "nis2": "Significant incident under NIS2 (severe disruption or damage)",
        "send": "Send",
        "choose": "– choose –",
        "errors": "Please correct",
        "done": "The incident is registered",
        "number": "Incident number",
        "deadlines": "Legal deadlines",
        "none": "No legal deadlines.",
        "lead": "Report as soon as you discover the incident. The data protection officer and "
        "IT security are told within a quarter of an hour.",
        "unit": "Unit",
    },
}
#: Problem key → the portal's message (no CLI options: the reader sees a form, not flags).
MESSAGES = {
    "sv": {
        "category_missing": "Välj en kategori.",
        "category_unknown": "Välj en av kategorierna i listan.",
        "kind_not_used": "Den här kategorin har inga typer. Lämna Typ som ”– välj –”.",
        "kind_unknown": "Välj en typ som hör till den valda kategorin.",
        "equipment_unknown": "Välj vilken utrustning som är borttappad eller stulen.",
        "unit_missing": "Länken anger ingen enhet. Be den som skickade länken om en ny.",
        "unit_unknown": "Enheten {value} finns inte längre i organisationen. "
        "Be den som skickade länken om en ny.",
        "board_unknown": "Nämnden {value} finns inte i organisationen.",
        "aware_missing": "Ange när ni fick kännedom om incidenten.",
        "aware_future": "Tidpunkten {when} har inte varit än (nu är den {now}). "
        "Ange när ni fick kännedom om incidenten.",
        "time_invalid": "Ange datum och klockslag, till exempel 2027-06-25 16:00.",
        "time_out_of_range": "Ange en tidpunkt från 1970 fram till nu.",
        "by_unknown": "Personen i länken finns inte längre i organisationen.",
        "csrf_expired": "Formuläret har gått ut. Ladda om sidan och skicka igen.",
    },
    "en": {
        "category_missing": "Choose a category.",
        "category_unknown": "Choose one of the categories in the list.",
        "kind_not_used": "This category has no kinds. Leave Kind as “– choose –”.",
        "kind_unknown": "Choose a kind that belongs to the chosen category.",
        "equipment_unknown": "Choose which equipment was lost or stolen.",
        "unit_missing": "The link names no unit. Ask whoever sent it for a new one.",
        "unit_unknown": "The unit {value} is no longer in the organisation. "
        "Ask whoever sent the link for a new one.",
        "board_unknown": "The board {value} is not in the organisation.",
        "aware_missing": "Enter when you became aware of the incident.",
        "aware_future": "The time {when} has not happened yet (it is now {now}). "
        "Enter when you became aware of the incident.",
        "time_invalid": "Enter a date and time, for example 2027-06-25 16:00.",
        "time_out_of_range": "Enter a time from 1970 up to now.",
        "by_unknown": "The person in the link is no longer in the organisation.",
        "csrf_expired": "The form has expired. Reload the page and send again.",
    },
}
#: field → id of the element its message belongs to (the summary links there).
ANCHORS = {
    "category": "f-category",
    "kind": "f-kind",
    "equipment": "f-equipment",
    "aware_at": "f-aware",
    "unit": "unit",
}


def _claims(token: str) -> LinkClaims:
    return verify_token(token, kind=KIND, now=clock.now())


def _messages(problems: list[Problem], lang: str) -> tuple[dict, list]:
    """Field → its message, and the summary's (anchor, message) pairs in the problems' order."""
    errors: dict[str, str] = {}
    summary: list[tuple[str, str]] = []
    for problem in problems:
        message = MESSAGES[lang][problem.key].format(**problem.params)
        errors.setdefault(problem.field, message)
        summary.append((ANCHORS.get(problem.field, ""), message))
    return errors, summary


def _context(token: str, session, lang: str, raw: dict, problems: list[Problem]) -> dict:
    claims = _claims(token)
    unit = session.get(Unit, claims.subject)
    errors, summary = _messages(problems, lang)
    return {
        "w": WORDS[lang],
        "token": token,
        "unit": unit.name if unit else claims.subject,
        "csrf": csrf_token(token, signing_key()),
        "categories": [(k, v[lang]) for k, v in CATEGORIES.items()],
        "kinds": [
            (CATEGORIES[c][lang], [(k, v[lang]) for k, v in kinds.items()])
            for c, kinds in SUBKINDS.items()
        ],
        "equipment": [(k, v[lang]) for k, v in EQUIPMENT_TYPES.items()],
        "raw": {k: raw.get(k, "") for k in FIELDS},
        "errors": errors,
        "summary": summary,
        "title": WORDS[lang]["title"],
    }


def _form(token: str, raw: dict, problems: list[Problem], status: int = 200) -> HTMLResponse:
    with db.session() as session:
        lang = organisation.info(session=session).language
        context = _context(token, session, lang, raw, problems)
    return pages.page("incident_form.html", lang, status, has_errors=bool(problems), **context)


def _new_incident(raw: dict, claims: LinkClaims, session) -> tuple[NewIncident, list[Problem]]:
    """The posted report as a NewIncident, and the problem with its time if it does not parse."""
    person = session.get(Person, claims.person_id) if claims.person_id else None
    tz = org_timezone(session=session)
    try:
        aware, problems = parse_time("aware-at", raw.get("aware_at"), tz), []
    except IncidentInputError as exc:
        aware, problems = None, exc.details
    new = NewIncident(
        category=raw.get("category") or None,
        unit_id=claims.subject,
        aware_at=aware,
        description=raw.get("description", ""),
        subkind=raw.get("kind", ""),
        equipment=raw.get("equipment", ""),
        personal_data=bool(raw.get("personal_data")),
        nis2_significant=bool(raw.get("nis2")),
        registered_by=person.id if person and person.active else "",
        source="portal",
    )
    return new, problems


def _without(problems: list[Problem], field: str) -> list[Problem]:
    return [p for p in problems if p.field != field]


def _register(token: str, raw: dict, origin_ok: bool) -> HTMLResponse | RedirectResponse:
    claims = _claims(token)
    if not origin_ok or not csrf_ok(token, signing_key(), raw.get("csrf")):
        return _form(token, raw, [Problem("csrf", "csrf_expired")], 403)
    now = clock.now()
    try:
        with db.session() as session:
            new, time_problems = _new_incident(raw, claims, session)
            if time_problems:  # the rest is still checked, so every problem shows at once
                others = check_new(normalised(new), now=now, session=session)
                raise IncidentInputError(time_problems + _without(others, "aware_at"))
            incident = register_incident(new, now=now, session=session)
    except IncidentInputError as exc:
        return _form(token, raw, exc.details, 422)
    # The legal clocks' registration alert: have the watch run now, after this response is out.
    alerts = (
        BackgroundTask(request_clock_watch, incident.id, now)
        if incident.personal_data or incident.nis2_significant
        else None
    )
    return RedirectResponse(
        f"/incident/{token}/klar?id={incident.id}", status_code=303, background=alerts
    )


@router.get("/incident/{token}", response_class=HTMLResponse)
async def incident_form(token: str) -> HTMLResponse:
    """The empty report form of the link's unit."""
    return await run_in_threadpool(_form, token, {}, [])


@router.post("/incident/{token}")
async def incident_post(token: str, request: Request):
    """Register the posted incident, or show the form again with the problems."""
    posted = await request.form(max_files=0, max_fields=50)
    raw = {k: str(v) for k, v in posted.items()}
    origin_ok = same_origin(
        request.headers.get("origin"),
        request.headers.get("host"),
        request.headers.get("sec-fetch-site"),
    )
    return await run_in_threadpool(_register, token, raw, origin_ok)


def _done(token: str, incident_id: int) -> HTMLResponse:
    claims = _claims(token)
    with db.session() as session:
        lang = organisation.info(session=session).language
        incident = session.get(Incident, incident_id)
        if incident is None or incident.unit_id != claims.subject:  # only this link's unit
            return pages.message_page(lang, "not_found", [], 404)
        tz = org_timezone(session=session)
        rows = clock_rows(incident, clock.now(), tz, session=session, lang=lang)
    return pages.page(
        "incident_done.html",
        lang,
        200,
        w=WORDS[lang],
        title=WORDS[lang]["done"],
        incident_id=incident.id,
        clocks=rows,
    )


@router.get("/incident/{token}/klar", response_class=HTMLResponse)
async def incident_done(token: str, id: int) -> HTMLResponse:  # noqa: A002 - the query name
    """Confirmation with the incident's deadlines."""
    return await run_in_threadpool(_done, token, id)
