"""A campaign step's assignments take their state from the campaign.

A training step of the wheel (kind `campaign`) has one assignment per unit, answered by no form:
the unit's assignment is done when the unit reaches the step's completion rule — every member
done, or the share in the step's `options.complete_share` (e.g. 0.9). A unit with no members in
a campaign that has members owes nothing and is done as well. Then `status`, the report and the
engine's reminders see the step as they see an answered questionnaire.
"""

from __future__ import annotations

import math
from datetime import datetime

from sqlmodel import Session, select

from models.campaigns.directory import aware_utc
from models.campaigns.progress import UnitProgress, unit_progress
from models.campaigns.tables import Campaign
from models.cycle.tables import Assignment, StepInstance

#: `submitted_by` of an assignment the campaign completed.
BY_CAMPAIGN = "kampanj"


def complete(row: UnitProgress | None, share: float, campaign_has_members: bool) -> bool:
    """Does a unit's progress meet the completion rule (`share` of its members done)?"""
    if row is None or row.members == 0:
        return campaign_has_members
    return row.done >= math.ceil(share * row.members - 1e-9)


def sync_step(c: Campaign, *, session: Session, now: datetime) -> int:
    """Mark the step's open unit assignments done where the unit is complete (not committed).
    Returns how many were marked."""
    step = session.get(StepInstance, c.step_instance_id) if c.step_instance_id else None
    if step is None:
        return 0
    share = float((step.options or {}).get("complete_share", 1.0))
    progress = {r.unit_id: r for r in unit_progress(c, session=session)}
    has_members = any(r.members for r in progress.values())
    query = select(Assignment).where(Assignment.step_instance_id == step.id,
                                     Assignment.retired_at.is_(None),
                                     Assignment.submitted_at.is_(None))
    marked = 0
    for a in session.exec(query).all():
        if complete(progress.get(a.scope_id or None), share, has_members):
            a.submitted_at, a.submitted_by = aware_utc(now), BY_CAMPAIGN
            session.add(a)
            marked += 1
    return marked
