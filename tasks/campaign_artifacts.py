"""Campaign progress in the Prefect UI: one table artifact per campaign, counts only."""

from __future__ import annotations

from prefect import task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE
from sqlmodel import select

from models import db
from models.campaigns.progress import progress_table, state_label
from models.campaigns.tables import Campaign


def campaign_key(campaign_id: int) -> str:
    """Artifact key of a campaign (lowercase letters, digits and dashes)."""
    return f"campaign-{campaign_id}"


def publish_now(campaign_ids: list[int] | None = None) -> int:
    """Publish (or update) the progress artifact of active campaigns and those given."""
    published = 0
    with db.session() as session:
        query = select(Campaign).where(Campaign.cancelled_at.is_(None))
        for c in session.exec(query.order_by(Campaign.id)):
            if c.closed_at is not None and c.id not in (campaign_ids or []):
                continue
            create_table_artifact(
                key=campaign_key(c.id), table=progress_table(c, session=session),
                description=f"Kampanj {c.id} ({c.kind}), sista dag {c.deadline}, {state_label(c)}.")
            published += 1
    return published


@task(name="publish_campaign_progress", cache_policy=NO_CACHE)
def publish_campaign_progress(closed_ids: list[int]) -> int:
    """Update each campaign's progress artifact (per unit: people, done, missing, percent)."""
    return publish_now(closed_ids)
