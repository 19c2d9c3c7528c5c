"""The year at a glance and who to chase.

    GET  /oversikt?ar=YYYY                the wheel with today marked; per step the numbers of
                                          `status` and how many were escalated
    GET  /oversikt/steg/<key>?ar=YYYY     the step's assignments: who answers (name, e-mail),
                                          days late, what the ledger sent to whom and when
    GET  /oversikt/enhet/<unit>?ar=YYYY   one unit's assignments (a chef's own units only)
    POST /oversikt/paminn/<assignment>    "Påminn nu": a manual reminder through the ledger
"""

from __future__ import annotations

from functools import lru_cache

from fastapi import APIRouter, BackgroundTasks, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from models import clock, db, organisation
from models.coordinator import overview
from models.cycle.draw import draw_wheel, wheel_steps
from models.cycle.status import active_steps, state_label
from models.cycle.tables import Assignment
from models.org import Unit
from portal.coordinator import auth
from portal.coordinator.render import page
from portal.coordinator.texts import text

router = APIRouter()


@lru_cache(maxsize=32)
def _wheel(steps: tuple, year: int, today, lang: str) -> str:
    return draw_wheel(list(steps), year, today=today, lang=lang, title=text("wheel", lang,
                                                                             year=year))


def _year(ar: str, s) -> int:
    return int(ar) if ar.isdigit() and len(ar) == 4 else organisation.local_today(
        clock.now(), session=s).year


def _common(request: Request, viewer, lang: str, paminda: str = "") -> dict:
    notice = None
    if paminda.isdigit():
        n = int(paminda)
        notice = text("reminded", lang, n=n) if n else text("reminded_none", lang)
    return {"viewer": viewer, "csrf": auth.session_csrf(request), "section": "year",
            "notice": notice, "state_label": state_label}


@router.get("/oversikt", response_class=HTMLResponse)
async def year_page(request: Request, ar: str = ""):
    now = clock.now()
    with db.read_session() as s:  # one connection for the whole page
        viewer = auth.viewer(request, s)
        info = organisation.info(session=s)
        lang, year, today = info.language, _year(ar, s), info.today(now)
        steps = active_steps(year, s)  # read once: the table's rows and the wheel
        rows = overview.year_rows(year, now, viewer, session=s, info=info, steps=steps)
        wheel = _wheel(tuple(wheel_steps(steps, year, lang)), year, today, lang)
        chef_units = [s.get(Unit, u) for u in sorted(viewer.units)]
    return page("year.html", lang, title=text("year_title", lang, year=year), year=year,
                rows=rows, wheel=wheel, units=[u for u in chef_units if u],
                **_common(request, viewer, lang))


@router.get("/oversikt/steg/{key}", response_class=HTMLResponse)
async def step_page(key: str, request: Request, ar: str = "", paminda: str = ""):
    viewer = auth.viewer(request)
    with db.read_session() as s:
        lang, year = organisation.info(session=s).language, _year(ar, s)
        step, rows = overview.step_assignments(year, key, clock.now(), viewer, session=s)
        tz = organisation.info(session=s).tz
    if step is None:
        raise auth.NotFound()
    title = step.title_en if lang == "en" else step.title_sv
    return page("assignments.html", lang, title=title, step=step, rows=rows, year=year, tz=tz,
                back=f"/oversikt/steg/{key}?ar={year}", **_common(request, viewer, lang, paminda))


@router.get("/oversikt/enhet/{unit_id}", response_class=HTMLResponse)
async def unit_page(unit_id: str, request: Request, ar: str = "", paminda: str = ""):
    viewer = auth.viewer(request)
    if not viewer.sees_unit(unit_id):
        raise auth.NotAllowed()
    with db.read_session() as s:
        unit = s.get(Unit, unit_id)
        if unit is None:
            raise auth.NotFound()
        info = organisation.info(session=s)
        lang, year = info.language, _year(ar, s)
        rows = overview.unit_assignments(year, unit_id, clock.now(), session=s)
    return page("assignments.html", lang, title=unit.name, step=None, rows=rows, year=year,
                tz=info.tz, back=f"/oversikt/enhet/{unit_id}?ar={year}",
                **_common(request, viewer, lang, paminda))


@router.post("/oversikt/paminn/{assignment_id}")
async def remind(assignment_id: int, request: Request, background: BackgroundTasks):
    viewer = auth.viewer(request)
    form = await auth.session_post(request)
    with db.session() as s:
        a = s.get(Assignment, assignment_id)
        if a is None or not viewer.sees(a.scope_kind, a.scope_id):
            raise auth.NotAllowed()
        now = clock.now()
        new = overview.remind_now(assignment_id, viewer, session=s, now=now)
    if new:
        from tasks.deliver import deliver_batch  # brings Prefect along: on first use only

        background.add_task(deliver_batch, now)
    back = str(form.get("back") or "/oversikt")
    if not back.startswith("/oversikt") or "//" in back:
        back = "/oversikt"
    joiner = "&" if "?" in back else "?"
    return RedirectResponse(f"{back}{joiner}paminda={new}#a-{assignment_id}", status_code=303)
