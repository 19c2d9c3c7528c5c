"""Where the report's numbers come from: imported figures first, then the store's own records.

Each function returns None when nothing was collected for the year, so the report can say so
instead of printing an empty table or a zero that is not a zero.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session, select

from models.cycle.submitted import CACHE, Answer, answers_for, assignments  # noqa: F401
from models.cycle.tables import StepInstance
from models.incidents.register import Incident
from models.report.figures import ActionFigure, IncidentFigure, MaturityFigure
from models.report.incident_stats import IncidentTables
from models.report.incident_stats_store import year_tables


def incident_tables_for(session: Session, year: int, lang: str = "sv") -> IncidentTables:
    """The year's incident tables, memoised for one report build.

    The numbers are those of `arshjul incident stats`
    (`models.report.incident_stats_store.year_tables`).
    """
    cache = session.info.get(CACHE)
    if cache is not None and ("incidents", year, lang) in cache:
        return cache[("incidents", year, lang)]
    tables = year_tables(year, session=session, lang=lang)
    if cache is not None:
        cache[("incidents", year, lang)] = tables
    return tables


def maturity(session: Session, year: int) -> dict[str, float] | None:
    """Infosäkkollen level per area (question id or imported area name), or None."""
    rows = session.exec(
        select(MaturityFigure).where(MaturityFigure.year == year).order_by(MaturityFigure.position)
    ).all()
    if rows:
        return {r.area: r.level for r in rows}
    answers = answers_for(session, year, "infosakkollen")
    if not answers:
        return None
    latest = max(answers, key=lambda a: a.submitted_at or datetime.min)
    return {
        k: float(v)
        for k, v in latest.data.items()
        if isinstance(v, int | float) and not isinstance(v, bool)
    }


def actions(session: Session, year: int) -> list[tuple[str, str, str]] | None:
    """(activity, status, comment) of the year's plan (imported, else followed up), or None."""
    rows = session.exec(
        select(ActionFigure).where(ActionFigure.year == year).order_by(ActionFigure.position)
    ).all()
    if rows:
        return [(r.activity, r.status, r.comment) for r in rows]
    from models.records.followup import follow_up

    followed = follow_up(year, session=session)
    return [(f.title, f.status, f.comment) for f in followed] or None


def risk_rows(session: Session, year: int) -> dict[str, list[dict]]:
    """Rows of the risk-analysis table per unit (only units that answered)."""
    out: dict[str, list[dict]] = {}
    for answer in answers_for(session, year, "riskanalys"):
        table = next((v for v in answer.data.values() if isinstance(v, list)), [])
        out[answer.scope_id] = [r for r in table if isinstance(r, dict)]
    return out


def training(session: Session, year: int) -> dict[str | None, tuple[int, int]] | None:
    """Training completion per unit: {unit id: (completed, members)}, or None when none ran."""
    from models.campaigns.tables import TRAINING, Campaign

    campaigns = session.exec(
        select(Campaign.id)
        .join(StepInstance, StepInstance.id == Campaign.step_instance_id)
        .where(
            Campaign.kind == TRAINING, StepInstance.year == year, Campaign.cancelled_at.is_(None)
        )
    ).all()
    out = _progress(session, list(campaigns))
    return out or None


def _progress(session: Session, campaign_ids: list[int]) -> dict[str | None, tuple[int, int]]:
    """(done, members) per unit over campaigns; members who left the population not counted."""
    from sqlalchemy import func

    from models.campaigns.tables import CampaignMember

    if not campaign_ids:
        return {}
    query = (
        select(CampaignMember.unit_id, func.count(CampaignMember.done_at), func.count())
        .where(CampaignMember.campaign_id.in_(campaign_ids), CampaignMember.left_at.is_(None))
        .group_by(CampaignMember.unit_id)
    )
    return {unit: (done, members) for unit, done, members in session.exec(query).all()}


def drives(session: Session, year: int) -> list[tuple[str, str, int, int]] | None:
    """Password-reset drives started in the year: (title, started date, done, members)."""
    from models.campaigns.tables import PASSWORD_RESET, Campaign

    start, end = datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)
    rows = session.exec(
        select(Campaign)
        .where(
            Campaign.kind == PASSWORD_RESET, Campaign.started_at >= start, Campaign.started_at < end
        )
        .order_by(Campaign.started_at)
    ).all()
    out = []
    for campaign in rows:
        per_unit = _progress(session, [campaign.id])
        done = sum(d for d, _n in per_unit.values())
        members = sum(n for _d, n in per_unit.values())
        out.append((campaign.title_sv, f"{campaign.started_at:%Y-%m-%d}", done, members))
    return out or None


def has_anything(session: Session, year: int) -> bool:
    """A planned step, an imported figure or a registered incident in `year`."""
    for column in (StepInstance.year, IncidentFigure.year, MaturityFigure.year, ActionFigure.year):
        if session.exec(select(column).where(column == year).limit(1)).first() is not None:
            return True
    start, end = datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)
    registered = select(Incident.id).where(Incident.aware_at >= start, Incident.aware_at < end)
    return session.exec(registered.limit(1)).first() is not None
