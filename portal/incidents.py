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
from starlette.concurrency import run_in_threadpool

from models import clock, db
from models.errors import InputError
from models.incident_views import clock_rows
from models.incidents import (
    CATEGORIES,
    EQUIPMENT_TYPES,
    SUBKINDS,
    Incident,
    NewIncident,
    org_timezone,
    parse_time,
    register_incident,
)
from models.links import LinkClaims, verify_token
from models.org import Person, Unit
from models.settings import get_settings
from portal import pages
from portal.context import organisation
from portal.security import csrf_ok, csrf_token, same_origin

KIND = "incident-report"
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


def _claims(token: str) -> LinkClaims:
    return verify_token(token, kind=KIND, now=clock.now())


def _context(token: str, session, lang: str, raw: dict, problems: list[str]) -> dict:
    claims = _claims(token)
    unit = session.get(Unit, claims.subject)
    return {
        "w": WORDS[lang],
        "token": token,
        "unit": unit.name if unit else claims.subject,
        "csrf": csrf_token(token, get_settings().secret_key.get_secret_value()),
        "categories": [(k, v[lang]) for k, v in CATEGORIES.items()],
        "kinds": [
            (CATEGORIES[c][lang], [(k, v[lang]) for k, v in kinds.items()])
            for c, kinds in SUBKINDS.items()
        ],
        "equipment": [(k, v[lang]) for k, v in EQUIPMENT_TYPES.items()],
        "raw": {k: raw.get(k, "") for k in FIELDS},
        "problems": problems,
        "title": WORDS[lang]["title"],
    }


def _form(token: str, raw: dict, problems: list[str], status: int = 200) -> HTMLResponse:
    with db.session() as session:
        lang = organisation(session)[0]
        context = _context(token, session, lang, raw, problems)
    return pages.page("incident_form.html", lang, status, has_errors=bool(problems), **context)


def _register(token: str, raw: dict, origin_ok: bool) -> HTMLResponse | RedirectResponse:
    claims = _claims(token)
    if not origin_ok or not csrf_ok(
        token, get_settings().secret_key.get_secret_value(), raw.get("csrf")
    ):
        return _form(
            token, raw, ["csrf: the form has expired; reload the page and send again"], 403
        )
    now = clock.now()
    try:
        with db.session() as session:
            tz = org_timezone(session=session)
            person = session.get(Person, claims.person_id) if claims.person_id else None
            aware = (raw.get("aware_at") or "").strip()
            new = NewIncident(
                category=raw.get("category") or None,
                unit_id=claims.subject,
                aware_at=parse_time("aware-at", aware, tz),
                description=raw.get("description", ""),
                subkind=raw.get("kind", ""),
                equipment=raw.get("equipment", ""),
                personal_data=bool(raw.get("personal_data")),
                nis2_significant=bool(raw.get("nis2")),
                registered_by=person.id if person and person.active else "",
                source="portal",
            )
            incident = register_incident(new, now=now, session=session)
    except InputError as exc:
        return _form(token, raw, exc.problems, 422)
    return RedirectResponse(f"/incident/{token}/klar?id={incident.id}", status_code=303)


@router.get("/incident/{token}", response_class=HTMLResponse)
async def incident_form(token: str) -> HTMLResponse:
    """The empty report form of the link's unit."""
    return await run_in_threadpool(_form, token, {}, [])


@router.post("/incident/{token}")
async def incident_post(token: str, request: Request):
    """Register the posted incident, or show the form again with the problems."""
    posted = await request.form(max_files=0, max_fields=50)
    raw = {k: str(v) for k, v in posted.items()}
    origin_ok = same_origin(request.headers.get("origin"), request.headers.get("host"))
    return await run_in_threadpool(_register, token, raw, origin_ok)


def _done(token: str, incident_id: int) -> HTMLResponse:
    claims = _claims(token)
    with db.session() as session:
        lang = organisation(session)[0]
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
