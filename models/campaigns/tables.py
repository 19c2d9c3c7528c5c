"""Tables of campaigns over every employee: the yearly training and password-reset drives.

A Campaign is one drive with its population rule, deadline and the concrete dates it reminds
on; a CampaignMember is one person's state in it (done, left the population, forced). Times
are aware UTC, like the rest of the store.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

TRAINING = "training"
PASSWORD_RESET = "password-reset"
KINDS = (TRAINING, PASSWORD_RESET)


class CampaignBase(SQLModel):
    kind: str = Field(max_length=16)
    title_sv: str
    title_en: str
    deadline: date
    #: {"units": [ids]} for a part of the organisation; {} for everyone.
    population: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    include_elected: bool = False
    force_change: bool = False


class Campaign(CampaignBase, table=True):
    """One drive: a training campaign of a cycle year, or an ad-hoc password-reset drive."""

    id: int | None = Field(default=None, primary_key=True)
    #: the wheel step instance a training campaign belongs to (None for ad-hoc drives).
    step_instance_id: int | None = Field(default=None, foreign_key="stepinstance.id",
                                         unique=True)
    started_at: datetime
    #: course activity id (training), url of the reset page or course, …
    options: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    #: ISO dates (organisation time) on which people not done get a reminder.
    remind_on: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    #: ISO dates on which each unit's chef gets the unit's completion.
    report_on: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    #: ISO dates on which each unit's chef gets the names of those not done.
    escalate_on: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    #: the latest occasion fully recorded in the ledger per message type (remind, report,
    #: escalate): later runs skip it instead of re-offering 50,000 rows to the ledger.
    enqueued: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    last_synced_at: datetime | None = None
    #: set when the deadline passed and the closing work (IT list, force change) was done.
    closed_at: datetime | None = None
    cancelled_at: datetime | None = None


class CampaignMember(SQLModel, table=True):
    """One person in one campaign."""

    __table_args__ = (UniqueConstraint("campaign_id", "person_id", name="uq_campaign_member"),)

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True)
    person_id: str = Field(foreign_key="person.id", index=True, max_length=128)
    #: the person's unit when last seen (progress per unit, the chef who is told).
    unit_id: str | None = Field(default=None, max_length=64)
    joined_at: datetime
    done_at: datetime | None = None
    #: no longer in the population (left, disabled, moved out of the drive's units).
    left_at: datetime | None = None
    #: when forceChangePasswordNextSignIn was set through Graph.
    forced_at: datetime | None = None
