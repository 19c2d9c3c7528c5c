"""Campaigns: progress per unit (models.campaigns.progress, as `campaign status`) and, once the
deadline has passed, the IT list of the people not done.

    GET /kampanjer          every campaign with its totals
    GET /kampanjer/<id>     progress per unit; the IT list at the deadline
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlmodel import select

from models import clock, db, organisation
from models.campaigns.progress import missing_people, state_label, totals, unit_progress
from models.campaigns.tables import Campaign
from models.org import Unit
from portal.coordinator import auth
from portal.coordinator.render import page
from portal.coordinator.texts import text

router = APIRouter()


@router.get("/kampanjer", response_class=HTMLResponse)
async def campaigns_page(request: Request):
    viewer = auth.editor(request)
    with db.read_session() as s:
        lang = organisation.info(session=s).language
        campaigns = s.exec(select(Campaign).order_by(Campaign.deadline.desc())).all()
        rows = [(c, state_label(c), totals(unit_progress(c, session=s))) for c in campaigns]
    return page("campaigns.html", lang, title=text("campaigns_title", lang), viewer=viewer,
                csrf=auth.session_csrf(request), section="campaigns", rows=rows)


@router.get("/kampanjer/{campaign_id}", response_class=HTMLResponse)
async def campaign_page(campaign_id: int, request: Request):
    viewer = auth.editor(request)
    with db.read_session() as s:
        campaign = s.get(Campaign, campaign_id)
        if campaign is None:
            raise auth.NotFound()
        info = organisation.info(session=s)
        progress = unit_progress(campaign, session=s)
        unit_names = {u.id: u.name for u in s.exec(select(Unit))}
        at_deadline = info.today(clock.now()) > campaign.deadline
        it_list = missing_people(campaign, session=s) if at_deadline else []
    lang = info.language
    title = campaign.title_en if lang == "en" else campaign.title_sv
    return page("campaign.html", lang, title=title, viewer=viewer,
                csrf=auth.session_csrf(request), section="campaigns", campaign=campaign,
                state=state_label(campaign), progress=progress, total=totals(progress),
                unit_names=unit_names, at_deadline=at_deadline, it_list=it_list)
