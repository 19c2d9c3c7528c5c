"""Campaign pages: one's own progress, and a unit's completion.

    GET /kampanj/<token>         (kind `campaign`, models.roles.OWN_PROGRESS) done or not, what
                                 to do (the course, or the page where the password is changed),
                                 the deadline
    GET /kampanj-enhet/<token>   (kind `campaign-unit`, UNIT_PROGRESS) the unit's counts and,
                                 after the deadline, the names of those not done
    GET /a/<token>               of a training step's assignment (no form): the same unit page

Who may open which is models.roles.may_open; these pages only read.
"""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from sqlmodel import Session, select

from models import clock, db, links, organisation, roles
from models.campaigns.notify import NAMES_SHOWN
from models.campaigns.progress import UnitProgress, missing_people, unit_progress
from models.campaigns.tables import PASSWORD_RESET, Campaign, CampaignMember
from portal import pages
from portal.context import AccessDenied, Opened
from portal.texts import text

router = APIRouter()


def _lang(session: Session) -> str:
    return organisation.info(session=session).language


def _open(token: str, kind: str, session: Session):
    claims = links.verify_token(token, kind=kind, now=clock.now())
    campaign_id, _, unit = claims.subject.partition(":")
    campaign = session.get(Campaign, int(campaign_id)) if campaign_id.isdigit() else None
    if campaign is None:
        raise AccessDenied("no such campaign")
    member = session.exec(select(CampaignMember).where(
        CampaignMember.campaign_id == campaign.id,
        CampaignMember.person_id == claims.person_id)).first()
    unit_id = (unit or "-") if kind == links.CAMPAIGN_UNIT else None
    facts = roles.CampaignFacts(member=member is not None, unit_id=unit_id)
    directory = roles.load_directory(session=session, only=(roles.CHEF, roles.COORDINATOR))
    if roles.may_open(claims.person_id, facts, directory) is None:
        raise AccessDenied("the link's person is not in this campaign or its unit")
    return campaign, member, unit


@router.get("/kampanj/{token}", response_class=HTMLResponse)
async def own_progress(token: str):
    with db.read_session() as s:
        campaign, member, _ = _open(token, links.CAMPAIGN, s)
        lang = _lang(s)
        tz = organisation.info(session=s).tz
        title = campaign.title_en if lang == "en" else campaign.title_sv
        done = member.done_at.astimezone(tz).strftime("%Y-%m-%d") if member.done_at else None
        target = campaign.options.get("url") or campaign.options.get("course")
        label = "password_link" if campaign.kind == PASSWORD_RESET else "course_link"
        return pages.page("campaign.html", lang, title=text("own_progress_title", lang,
                                                            title=title),
                          done=done, deadline=campaign.deadline.isoformat(), target=target,
                          target_label=text(label, lang), left=member.left_at is not None)


@router.get("/kampanj-enhet/{token}", response_class=HTMLResponse)
async def unit_completion(token: str):
    with db.read_session() as s:
        campaign, _, unit = _open(token, links.CAMPAIGN_UNIT, s)
        unit_id = None if unit in ("", "-") else unit
        return unit_page(campaign, unit_id, _lang(s), session=s, now=clock.now())


def step_unit_page(opened: Opened, *, session: Session, now: datetime) -> HTMLResponse:
    """The page of a training step's unit assignment: the unit's completion in its campaign."""
    campaign = session.exec(select(Campaign).where(
        Campaign.step_instance_id == opened.step.id)).first()
    unit_id = opened.assignment.scope_id or None
    if campaign is not None:
        return unit_page(campaign, unit_id, opened.lang, session=session, now=now)
    title = opened.step.title_en if opened.lang == "en" else opened.step.title_sv
    body = [text("no_campaign", opened.lang, when=opened.step.opens.isoformat())]
    return pages.page("message.html", opened.lang, title=f"{opened.scope_name}: {title}",
                      paragraphs=body, contacts=[])


def unit_page(c: Campaign, unit_id: str | None, lang: str, *, session: Session,
              now: datetime) -> HTMLResponse:
    """Counts of one unit, and the names of those not done once the deadline has passed."""
    info = organisation.info(session=session)
    row = next((r for r in unit_progress(c, session=session) if r.unit_id == unit_id),
               UnitProgress(unit_id, 0, 0))
    past = info.today(now) > c.deadline
    missing = missing_people(c, session=session, unit_id=unit_id) if past else []
    unit_name = organisation.scope_name("unit", unit_id or "", lang, session=session)
    title = c.title_en if lang == "en" else c.title_sv
    return pages.page(
        "unit_progress.html", lang, title=text("unit_progress_title", lang, unit=unit_name,
                                               title=title),
        counts=text("unit_counts", lang, done=row.done, members=row.members,
                    percent=row.percent, when=c.deadline.isoformat()),
        past=past, missing=[p.name for p in missing[:NAMES_SHOWN]],
        more=max(0, len(missing) - NAMES_SHOWN))
