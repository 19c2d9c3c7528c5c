"""Answers: read a submitted answer and its versions; download a step's answers as
`arshjul responses export` writes them (models.cycle.export: the one implementation).

    GET /svar/<assignment>?v=N                  version N (default the latest) and the list
    GET /oversikt/steg/<key>/svar.csv|.xlsx     the step's latest answers (organisation-wide roles)
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import select

from models import db, organisation
from models.cycle.export import export_responses
from models.cycle.forms import get_form
from models.cycle.responses import ResponseVersion
from models.cycle.tables import Assignment, StepInstance
from models.errors import InputError
from models.org import Person
from portal.coordinator import auth
from portal.coordinator.render import page
from portal.views import answer_sections

router = APIRouter()
TYPES = {"csv": "text/csv; charset=utf-8",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@router.get("/svar/{assignment_id}", response_class=HTMLResponse)
async def answer_page(assignment_id: int, request: Request, v: int = 0):
    viewer = auth.viewer(request)
    with db.read_session() as s:
        a = s.get(Assignment, assignment_id)
        if a is None:
            raise auth.NotFound()
        if not viewer.sees(a.scope_kind, a.scope_id):
            raise auth.NotAllowed()
        step = s.get(StepInstance, a.step_instance_id)
        versions = list(s.exec(select(ResponseVersion).where(
            ResponseVersion.assignment_id == a.id).order_by(ResponseVersion.version.desc())))
        info = organisation.info(session=s)
        scope = organisation.scope_name(a.scope_kind, a.scope_id, info.language, session=s)
        names = {p.id: p.name for p in s.exec(select(Person).where(
            Person.id.in_([x.submitted_by for x in versions] or [""])))}
    if not versions or not step.form:
        raise auth.NotFound()
    shown = next((x for x in versions if x.version == v), versions[0])
    lang = info.language
    sections = answer_sections(get_form(step.form), shown.values, lang)
    title = f"{step.title_en if lang == 'en' else step.title_sv} – {scope}"
    return page("answer.html", lang, title=title, viewer=viewer, csrf=auth.session_csrf(request),
                section="year", versions=versions, shown=shown, answers=sections, names=names,
                tz=info.tz, step=step, assignment=a)


@router.get("/oversikt/steg/{key}/svar.{fmt}")
async def download(key: str, fmt: str, request: Request, ar: int = 0):
    auth.editor(request)
    if fmt not in TYPES:
        raise auth.NotFound()
    try:
        body = export_responses(key, year=ar or None, fmt=fmt, to_file=True)
    except InputError as exc:
        raise auth.NotFound() from exc
    name = f"{key}-{ar}.{fmt}" if ar else f"{key}.{fmt}"
    return Response(body, media_type=TYPES[fmt],
                    headers={"content-disposition": f'attachment; filename="{name}"'})
