"""Tables of the organisation: boards (data controllers), units, people and their roles.

The role names and who holds what for whom: models.roles.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.settings import DEFAULT_TIMEZONE

UNIT_KINDS = ("forvaltning", "bolag", "forbund")


class Organisation(SQLModel, table=True):
    """The one organisation of this store (row id 1)."""

    id: int = Field(default=1, primary_key=True)
    name: str
    timezone: str = DEFAULT_TIMEZONE
    language: str = "sv"
    #: directory department name → unit id, for campaign populations.
    department_map: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class BoardBase(SQLModel):
    id: str = Field(primary_key=True, max_length=64)
    name: str


class Board(BoardBase, table=True):
    """A nämnd or styrelse: the data controller (personuppgiftsansvarig)."""

    active: bool = True


class UnitBase(SQLModel):
    id: str = Field(primary_key=True, max_length=64)
    name: str
    kind: str = "forvaltning"
    board_id: str = Field(foreign_key="board.id", index=True)


class Unit(UnitBase, table=True):
    """A förvaltning, bolag or förbund, serving one board."""

    notify: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    active: bool = True


class PersonBase(SQLModel):
    id: str = Field(primary_key=True, max_length=128)
    name: str
    email: str = Field(index=True)


class Person(PersonBase, table=True):
    """Someone who receives messages: a contact, a head of department, any employee."""

    notify: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    active: bool = True
    deactivated_at: datetime | None = None
    #: "org" for the organisation file, or the directory a campaign sync read them from.
    source: str = Field(default="org", max_length=32)
    #: home unit of an employee (from the directory), not a role.
    unit_id: str | None = Field(default=None, foreign_key="unit.id", index=True)
    external_id: str | None = Field(default=None, index=True, max_length=128)
    elected: bool = False
    account_enabled: bool = True
    last_password_change: datetime | None = None


class PersonRole(SQLModel, table=True):
    """A role a person holds: ROLE@SCOPE, or ROLE alone for organisation-wide roles."""

    __table_args__ = (UniqueConstraint("person_id", "role", "scope_id", name="uq_person_role"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: str = Field(foreign_key="person.id", index=True)
    role: str = Field(max_length=64)
    #: unit id for unit roles, board id for board roles, "" for organisation-wide roles.
    scope_id: str = Field(default="", max_length=64, index=True)
