"""Counting a campaign: progress per unit (counts only) and the people not done."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, select

from models.campaigns.rules import percent
from models.campaigns.tables import Campaign, CampaignMember
from models.org import Person


@dataclass(frozen=True)
class UnitProgress:
    """One unit's numbers in a campaign (unit_id None: people whose department maps nowhere)."""

    unit_id: str | None
    members: int
    done: int

    @property
    def missing(self) -> int:
        return self.members - self.done

    @property
    def percent(self) -> int:
        return percent(self.done, self.members)


def state_label(campaign: Campaign) -> str:
    """What a campaign's state is called: avbruten, avslutad or pågår."""
    if campaign.cancelled_at:
        return "avbruten"
    return "avslutad" if campaign.closed_at else "pågår"


def unit_progress(campaign: Campaign, *, session: Session) -> list[UnitProgress]:
    """Members and done per unit, members who left the population not counted."""
    query = (
        select(CampaignMember.unit_id, func.count(),
               func.count(CampaignMember.done_at))
        .where(CampaignMember.campaign_id == campaign.id, CampaignMember.left_at.is_(None))
        .group_by(CampaignMember.unit_id)
    )
    rows = [UnitProgress(u, n, d) for u, n, d in session.execute(query)]
    return sorted(rows, key=lambda r: (r.unit_id is None, r.unit_id or ""))


def totals(rows: list[UnitProgress]) -> UnitProgress:
    return UnitProgress("*", sum(r.members for r in rows), sum(r.done for r in rows))


@dataclass(frozen=True)
class Missing:
    """A person who has not done it (for the chef's list and the IT list; stays in the store)."""

    person_id: str
    name: str
    email: str
    unit_id: str | None
    external_id: str | None
    forced: bool


def missing_people(campaign: Campaign, *, session: Session,
                   unit_id: str | None = ...) -> list[Missing]:
    """Members not done and still in the population, optionally of one unit, by name."""
    query = (
        select(Person.id, Person.name, Person.email, CampaignMember.unit_id, Person.external_id,
               CampaignMember.forced_at)
        .join(Person, Person.id == CampaignMember.person_id)
        .where(CampaignMember.campaign_id == campaign.id, CampaignMember.done_at.is_(None),
               CampaignMember.left_at.is_(None))
        .order_by(Person.name, Person.id)
    )
    if unit_id is not ...:
        query = query.where(CampaignMember.unit_id.is_(None) if unit_id is None
                            else CampaignMember.unit_id == unit_id)
    return [Missing(pid, name, email or "", unit, ext, forced is not None)
            for pid, name, email, unit, ext, forced in session.execute(query)]


def progress_table(campaign: Campaign, *, session) -> list[dict]:
    """Rows per unit plus a total row: unit id, members, done, missing, percent."""
    rows = unit_progress(campaign, session=session)
    out = [{"enhet": r.unit_id or "(utan enhet)", "personer": r.members, "klara": r.done,
            "kvar": r.missing, "procent": r.percent} for r in rows]
    total = totals(rows)
    out.append({"enhet": "TOTALT", "personer": total.members, "klara": total.done,
                "kvar": total.missing, "procent": total.percent})
    return out
