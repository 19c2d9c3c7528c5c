"""Force a password change at next sign-in, through Graph, for the accounts of a drive that
did not change password by the deadline. A dry run only counts.
"""

from __future__ import annotations

from datetime import datetime

from prefect import task
from prefect.cache_policies import NO_CACHE
from sqlalchemy import update

from models import db
from models.campaigns.directory import aware_utc
from models.campaigns.progress import missing_people
from models.campaigns.store import get_campaign
from models.campaigns.tables import PASSWORD_RESET, CampaignMember
from models.clock import parse_now
from models.errors import InputError
from models.i18n import _
from models.settings import get_settings
from tasks.connectors.base import ConnectorError
from tasks.directory_sync import open_graph, worth_retrying

BATCH = 100


def force_targets(campaign_id: int, *, session) -> list:
    """Members of a drive not done and not yet forced, with their directory id."""
    campaign = get_campaign(campaign_id, session=session)
    if campaign.kind != PASSWORD_RESET:
        raise InputError(_("kampanj {campaign_id} är inget lösenordsbyte (typ {campaign_kind})", campaign_id=campaign_id, campaign_kind=campaign.kind))
    return [m for m in missing_people(campaign, session=session) if not m.forced and m.external_id]


def force_password_changes_now(campaign_id: int, now: datetime, *, dry_run: bool) -> dict:
    """Set forceChangePasswordNextSignIn for every target; returns counts."""
    if get_settings().directory != "graph":
        raise InputError(_("tvingat lösenordsbyte behöver ARSHJUL_DIRECTORY=graph"))
    with db.session() as session:
        targets = force_targets(campaign_id, session=session)
    if dry_run:
        return {"campaign": campaign_id, "would_force": len(targets), "dry_run": True}
    forced = not_found = 0
    with open_graph() as graph:
        for start in range(0, len(targets), BATCH):
            done = []
            for member in targets[start:start + BATCH]:
                try:
                    graph.force_password_change(member.external_id)
                    done.append(member.person_id)
                except ConnectorError as exc:
                    if exc.status != 404:
                        raise
                    not_found += 1
            _mark_forced(campaign_id, done, now)
            forced += len(done)
    return {"campaign": campaign_id, "forced": forced, "not_found": not_found, "dry_run": False}


def _mark_forced(campaign_id: int, person_ids: list[str], now: datetime) -> None:
    # committed per batch: a crash repeats at most one batch of (idempotent) PATCHes
    with db.session() as session:
        session.execute(update(CampaignMember).where(
            CampaignMember.campaign_id == campaign_id,
            CampaignMember.person_id.in_(person_ids)).values(forced_at=aware_utc(now)))


@task(name="force_password_changes", retries=2, retry_delay_seconds=[120, 600],
      retry_condition_fn=worth_retrying, cache_policy=NO_CACHE)
def force_password_changes(campaign_id: int, now_iso: str) -> dict:
    """Make the remaining accounts of a closed drive change password at next sign-in."""
    return force_password_changes_now(campaign_id, parse_now(now_iso, "UTC"), dry_run=False)
