"""Tables of the action plan: its activities per year and the board's adoptions of it."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

#: What an activity answers: a risk of a unit's risk analysis, a finding of the compliance
#: check, or an Infosäkkollen area.
ANSWERS_KINDS = ("risk", "fynd", "infosakkollen")


class PlanActivity(SQLModel, table=True):
    """One activity of one year's action plan, owned by a unit ("" = the organisation)."""

    __tablename__ = "plan_activity"
    __table_args__ = (UniqueConstraint("year", "unit_id", "title", name="uq_plan_activity"),)

    id: int | None = Field(default=None, primary_key=True)
    year: int = Field(index=True)
    title: str = Field(max_length=300)
    unit_id: str = Field(default="", max_length=64)
    responsible: str = Field(default="", max_length=200)
    due: date | None = None
    #: genomford | paborjad | ej-paborjad (as the follow-up form asks it)
    status: str = Field(default="ej-paborjad", max_length=16)
    comment: str = ""
    answers_kind: str = Field(default="", max_length=16)
    answers_ref: str = Field(default="", max_length=300)
    #: the activity of the previous year's plan this one carries over
    carried_from: int | None = Field(default=None, foreign_key="plan_activity.id")
    created_at: datetime


class PlanAdoption(SQLModel, table=True):
    """One adopted version of a year's plan: the decision and the activities it adopted."""

    __tablename__ = "plan_adoption"
    __table_args__ = (UniqueConstraint("year", "version", name="uq_plan_adoption"),)

    id: int | None = Field(default=None, primary_key=True)
    year: int = Field(index=True)
    version: int
    #: the decision as written: "KS 2027-12-14 §220"
    decision: str = Field(max_length=100)
    body: str = Field(max_length=60)
    decided_on: date
    paragraph: str = Field(max_length=16)
    activities: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    adopted_at: datetime


class RegisterEntry(SQLModel, table=True):
    """One row of a register (information assets, cloud services, NIS2, processing activities).

    `data` holds the row as its register's form checks it (models.records.registers); `key` is the
    row's name within its scope, `review_on` the date a reminder is due for (cloud agreements).
    """

    __tablename__ = "register_entry"
    __table_args__ = (
        UniqueConstraint("kind", "scope_kind", "scope_id", "key", name="uq_register_entry"),
    )

    id: int | None = Field(default=None, primary_key=True)
    #: the register's id (models.records.registers.REGISTERS)
    kind: str = Field(max_length=32, index=True)
    #: "unit", "board" or "organisation"
    scope_kind: str = Field(max_length=16)
    scope_id: str = Field(default="", max_length=64)
    key: str = Field(max_length=200)
    data: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    review_on: date | None = None
    #: "portal" (the yearly review) or "cli"
    source: str = Field(max_length=16)
    updated_by: str = Field(default="", max_length=64)
    updated_at: datetime
