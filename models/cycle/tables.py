"""Tables of a planned year: the cycle, its dated step instances and their assignments."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel


class Cycle(SQLModel, table=True):
    """One planned year of the wheel."""

    year: int = Field(primary_key=True)
    wheel_file: str
    planned_at: datetime


class StepInstance(SQLModel, table=True):
    """One dated occurrence of a wheel step in a cycle (quarterly steps have four)."""

    __table_args__ = (UniqueConstraint("year", "key", name="uq_step_instance"),)

    id: int | None = Field(default=None, primary_key=True)
    year: int = Field(foreign_key="cycle.year", index=True)
    step_id: str = Field(max_length=64)
    #: step id plus a suffix for repeats: "incidentstatistik-q2"; equal to step_id for yearly steps.
    key: str = Field(max_length=80)
    seq: int = 0
    title_sv: str
    title_en: str
    purpose_sv: str = ""
    purpose_en: str = ""
    phase: str = Field(max_length=16)
    kind: str = Field(max_length=16)
    form: str | None = None
    audience_role: str = Field(max_length=64)
    audience_per: str = Field(max_length=16)
    opens: date
    due: date
    remind: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    escalate: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    #: extra settings of campaign steps (course activity id, …).
    options: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    retired_at: datetime | None = None


class Assignment(SQLModel, table=True):
    """What one scope (board, unit or the organisation) owes for one step instance."""

    __table_args__ = (
        UniqueConstraint("step_instance_id", "scope_kind", "scope_id", name="uq_assignment"),
    )

    id: int | None = Field(default=None, primary_key=True)
    step_instance_id: int = Field(foreign_key="stepinstance.id", index=True)
    #: "board", "unit" or "organisation"
    scope_kind: str = Field(max_length=16)
    scope_id: str = Field(default="", max_length=64)
    submitted_at: datetime | None = None
    submitted_by: str | None = None
    retired_at: datetime | None = None
