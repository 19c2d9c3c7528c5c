"""The organisation kept up to date without YAML (organisation-wide roles only).

    GET  /organisation               people and roles, add a person, replace a contact, audit log
    POST /organisation/ny            add a person
    POST /organisation/ersatt        replace the holder of ROLE@SCOPE
    GET  /organisation/person/<id>   one person: name, e-mail, roles, active
    POST /organisation/person/<id>   action=save | deactivate | activate | add-role | remove-role
    GET  /organisation/export.yaml   the organisation as the file `org import` reads
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import select

from models import clock, db, organisation
from models.coordinator import org_edit
from models.coordinator.org_export import export_org, role_text
from models.errors import InputError
from models.org import Board, Person, PersonRole, Unit
from models.roles import BOARD_ROLES, UNIT_ROLES
from portal.coordinator import auth
from portal.coordinator.render import page
from portal.coordinator.texts import text

router = APIRouter()


def _shown(value) -> str:
    if isinstance(value, list):
        return ", ".join(value) or "–"
    return "–" if value in (None, "") else str(value)


def changes(entry) -> list[tuple[str, str, str]]:
    """(field, before, after) of the fields an audit entry changed."""
    keys = list(dict.fromkeys([*entry.before, *entry.after]))
    return [(k, _shown(entry.before.get(k)), _shown(entry.after.get(k))) for k in keys
            if entry.before.get(k) != entry.after.get(k)]


def _choices(s) -> list[tuple[str, str]]:
    """(ROLE@SCOPE, label) of every contact role a scope can have."""
    units = s.exec(select(Unit).where(Unit.active).order_by(Unit.name)).all()
    boards = s.exec(select(Board).where(Board.active).order_by(Board.name)).all()
    out = [(role_text(r, u.id), f"{r} – {u.name}") for u in units for r in UNIT_ROLES]
    return out + [(role_text(r, b.id), f"{r} – {b.name}") for b in boards for r in BOARD_ROLES]


def _org_page(request: Request, viewer, error: str | None = None, status: int = 200,
              notice: str | None = None):
    with db.read_session() as s:
        lang = organisation.info(session=s).language
        people = s.exec(select(Person).where(Person.source == "org").order_by(Person.name)).all()
        roles: dict[str, list[str]] = {}
        for r in s.exec(select(PersonRole).order_by(PersonRole.role, PersonRole.scope_id)):
            roles.setdefault(r.person_id, []).append(role_text(r.role, r.scope_id))
        names = {p.id: p.name for p in people}
        log = org_edit.audit_log(session=s)
        tz = organisation.info(session=s).tz
        choices = _choices(s)
    return page("org.html", lang, status, title=text("org_title", lang), viewer=viewer,
                csrf=auth.session_csrf(request), section="org", people=people, roles=roles,
                names=names, log=log, tz=tz, choices=choices, changes=changes, error=error,
                notice=notice, has_errors=bool(error))


@router.get("/organisation", response_class=HTMLResponse)
async def org_page(request: Request, klart: str = ""):
    viewer = auth.editor(request)
    notice = text("org_saved", auth.language()) if klart else None
    return _org_page(request, viewer, notice=notice)


@router.post("/organisation/ny", response_class=HTMLResponse)
async def add_person(request: Request):
    viewer = auth.editor(request)
    form = await auth.session_post(request)
    try:
        with db.session() as s:
            org_edit.add_person(viewer.person_id, str(form.get("id") or ""),
                                str(form.get("name") or ""), str(form.get("email") or ""),
                                str(form.get("roles") or "").split(), session=s, now=clock.now())
    except InputError as exc:
        return _org_page(request, viewer, error=str(exc), status=422)
    return RedirectResponse("/organisation?klart=1", status_code=303)


@router.post("/organisation/ersatt", response_class=HTMLResponse)
async def replace(request: Request):
    viewer = auth.editor(request)
    form = await auth.session_post(request)
    try:
        with db.session() as s:
            org_edit.replace_contact(viewer.person_id, str(form.get("role") or ""),
                                     str(form.get("person") or ""), session=s, now=clock.now())
    except InputError as exc:
        return _org_page(request, viewer, error=str(exc), status=422)
    return RedirectResponse("/organisation?klart=1#logg", status_code=303)


def _person_page(request: Request, viewer, person_id: str, error=None, status=200, notice=None):
    with db.read_session() as s:
        lang = organisation.info(session=s).language
        person = s.get(Person, person_id)
        if person is None or person.source != "org":
            raise auth.NotFound()
        roles = [role_text(r.role, r.scope_id) for r in s.exec(
            select(PersonRole).where(PersonRole.person_id == person_id))]
    return page("person.html", lang, status, title=person.name, viewer=viewer,
                csrf=auth.session_csrf(request), section="org", person=person,
                roles=sorted(roles), error=error, notice=notice, has_errors=bool(error))


@router.get("/organisation/person/{person_id}", response_class=HTMLResponse)
async def person_page(person_id: str, request: Request, klart: str = ""):
    viewer = auth.editor(request)
    notice = text("org_saved", auth.language()) if klart else None
    return _person_page(request, viewer, person_id, notice=notice)


@router.post("/organisation/person/{person_id}", response_class=HTMLResponse)
async def change_person(person_id: str, request: Request):
    viewer = auth.editor(request)
    form = await auth.session_post(request)
    action = str(form.get("action") or "")
    now, actor = clock.now(), viewer.person_id
    try:
        with db.session() as s:
            if action == "save":
                org_edit.edit_person(actor, person_id, str(form.get("name") or ""),
                                     str(form.get("email") or ""), session=s, now=now)
            elif action in ("deactivate", "activate"):
                org_edit.set_active(actor, person_id, action == "activate", session=s, now=now)
            elif action == "add-role":
                org_edit.change_role(actor, person_id, str(form.get("role") or ""), True,
                                     session=s, now=now)
            elif action.startswith("remove-role:"):
                org_edit.change_role(actor, person_id, action.split(":", 1)[1], False,
                                     session=s, now=now)
    except InputError as exc:
        return _person_page(request, viewer, person_id, error=str(exc), status=422)
    return RedirectResponse(f"/organisation/person/{person_id}?klart=1", status_code=303)


@router.get("/organisation/export.yaml")
async def export(request: Request):
    auth.editor(request)
    with db.read_session() as s:
        body = export_org(session=s)
    return Response(body, media_type="application/yaml; charset=utf-8",
                    headers={"content-disposition": 'attachment; filename="organisation.yaml"'})
