"""Incidents: the register with open clocks and time left; register one (through the unit
report form the portal already has) and close clocks as `arshjul incident update` does.

    GET  /incidenter           the register (models.incidents.views, as `incident list`)
    POST /incidenter/ny        unit → the unit report form /incident/<token> (a one-hour link)
    GET  /incidenter/<id>      the incident and its clocks
    POST /incidenter/<id>      action=reported (clock, ref) | not-reporting (clock, reason)
"""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from models import clock, db, organisation
from models.errors import InputError
from models.incidents import clocks as rules
from models.incidents.register import clocks_of, get_incident, org_timezone
from models.incidents.updates import Closing, close_clocks
from models.incidents.views import clock_rows, incident_dicts, incident_row, names, unit_choices
from models.links import INCIDENT_REPORT, make_subject_token
from portal.coordinator import auth
from portal.coordinator.render import page
from portal.coordinator.texts import text

router = APIRouter()


@router.get("/incidenter", response_class=HTMLResponse)
async def register_page(request: Request):
    viewer = auth.editor(request)
    with db.read_session() as s:
        lang = organisation.info(session=s).language
        rows = incident_dicts(clock.now(), session=s)
        units = unit_choices(session=s)
    return page("incidents.html", lang, title=text("incidents_title", lang), viewer=viewer,
                csrf=auth.session_csrf(request), section="incidents", rows=rows, units=units)


@router.post("/incidenter/ny")
async def new_incident(request: Request):
    viewer = auth.editor(request)
    form = await auth.session_post(request)
    unit = str(form.get("unit") or "")
    with db.read_session() as s:
        if unit not in {u for u, _, _ in unit_choices(session=s)}:
            raise auth.NotFound()
    token = make_subject_token(INCIDENT_REPORT, unit, viewer.person_id,
                               clock.now() + timedelta(hours=1))
    return RedirectResponse(f"/incident/{token}", status_code=303)


def _incident_page(request, viewer, incident_id: int, error=None, status=200):
    with db.read_session() as s:
        lang = organisation.info(session=s).language
        try:
            incident = get_incident(incident_id, session=s)
        except InputError as exc:
            raise auth.NotFound() from exc
        tz = org_timezone(session=s)
        row = incident_row(incident, tz, names(session=s))
        clocks = clock_rows(incident, clock.now(), tz, session=s, lang=lang)
        open_clocks = [(c.kind, rules.CLOCK_LABELS[c.kind][lang])
                       for c in clocks_of(incident.id, session=s) if c.status == rules.OPEN]
    return page("incident.html", lang, status, title=text("incident_n", lang, n=incident_id),
                viewer=viewer, csrf=auth.session_csrf(request), section="incidents", row=row,
                clocks=clocks, open_clocks=open_clocks, error=error, has_errors=bool(error))


@router.get("/incidenter/{incident_id}", response_class=HTMLResponse)
async def incident_page(incident_id: int, request: Request):
    return _incident_page(request, auth.editor(request), incident_id)


@router.post("/incidenter/{incident_id}", response_class=HTMLResponse)
async def close(incident_id: int, request: Request):
    viewer = auth.editor(request)
    form = await auth.session_post(request)
    reporting = form.get("action") == "reported"
    closing = Closing(str(form.get("clock") or ""), reference=str(form.get("ref") or ""),
                      reason=str(form.get("reason") or ""), reporting=reporting)
    try:
        with db.session() as s:
            incident = get_incident(incident_id, session=s)
            close_clocks(incident, [closing], by=viewer.person_id, now=clock.now(), session=s)
    except InputError as exc:
        return _incident_page(request, viewer, incident_id, error=str(exc), status=422)
    return RedirectResponse(f"/incidenter/{incident_id}", status_code=303)
