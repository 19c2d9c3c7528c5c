"""The incident register: incidents, their legal clocks, and registering and closing them.

Categories follow the reference report's incident sections. IT-security sub-kinds and equipment
types reuse the report vocabulary of `models.report.figures`, so registered incidents and imported figures
land on the same rows. The clock rules themselves are pure and live in `models.incidents.clocks`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, Session, SQLModel, select

from models import organisation
from models.clock import as_utc
from models.errors import NotFoundError
from models.i18n import _
from models.incidents import clocks as rules
from models.incidents.categories import (  # noqa: F401  (the register's vocabulary, re-exported)
    ADMINISTRATIVE,
    CATEGORIES,
    EQUIPMENT_LOST,
    EQUIPMENT_TYPES,
    IT_SECURITY,
    PERSONAL_DATA,
    PERSONNEL,
    PHYSICAL,
    PHYSICAL_KINDS,
    SUBKINDS,
)
from models.incidents.problems import IncidentInputError, Problem
from models.org import Board, Person, Unit


class Incident(SQLModel, table=True):
    """One registered incident of a unit (and the board it serves)."""

    id: int | None = Field(default=None, primary_key=True)
    category: str = Field(max_length=32, index=True)
    #: IT-security sub-kind or physical-security kind ("" for the other categories).
    subkind: str = Field(default="", max_length=64)
    #: equipment type of lost/stolen equipment ("" otherwise).
    equipment: str = Field(default="", max_length=64)
    unit_id: str = Field(foreign_key="unit.id", index=True, max_length=64)
    board_id: str = Field(foreign_key="board.id", index=True, max_length=64)
    aware_at: datetime = Field(index=True)
    registered_at: datetime
    #: person id of whoever registered it ("" from the CLI without --by).
    registered_by: str = Field(default="", max_length=128)
    #: cli | portal
    source: str = Field(default="cli", max_length=16)
    description: str = ""
    personal_data: bool = False
    nis2_significant: bool = False


class IncidentClock(SQLModel, table=True):
    """One legal deadline of one incident, open until reported or decided against."""

    __table_args__ = (UniqueConstraint("incident_id", "kind", name="uq_incident_clock"),)

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", index=True)
    #: gdpr | nis2-early-warning | nis2-notification | nis2-final-report
    kind: str = Field(max_length=32)
    deadline: datetime
    #: open | reported | not-reporting
    status: str = Field(default=rules.OPEN, max_length=16, index=True)
    reported_at: datetime | None = None
    reference: str = Field(default="", max_length=120)
    reason: str = ""
    decided_by: str = Field(default="", max_length=128)
    recorded_at: datetime | None = None


@dataclass(frozen=True)
class NewIncident:
    """What a reporter says about an incident (CLI flags, prompts or the portal form).

    `subkind` and `equipment` take the vocabulary ids of `models.report.figures`; `normalise_id` also
    accepts hyphens and equipment without its `utrustning_` prefix ("chromebook").
    """

    category: str | None
    unit_id: str | None
    aware_at: datetime | None
    description: str = ""
    subkind: str = ""
    equipment: str = ""
    personal_data: bool = False
    nis2_significant: bool = False
    board_id: str | None = None
    registered_by: str = ""
    source: str = "cli"


def normalise_id(value: str | None, *, equipment: bool = False) -> str:
    """A vocabulary id as typed by a person: 'otp-kort' → 'utrustning_otp_kort' (equipment)."""
    text = (value or "").strip().lower().replace("-", "_")
    if (
        equipment
        and text
        and text not in EQUIPMENT_TYPES
        and f"utrustning_{text}" in EQUIPMENT_TYPES
    ):
        return f"utrustning_{text}"
    return text


def normalised(new: NewIncident) -> NewIncident:
    """`new` with its vocabulary ids as stored (see `normalise_id`)."""
    return replace(
        new,
        category=(new.category or "").strip().lower() or None,
        subkind=normalise_id(new.subkind),
        equipment=normalise_id(new.equipment, equipment=True),
    )


def check_new(new: NewIncident, *, now: datetime, session: Session) -> list[Problem]:
    """Every problem with a `normalised` report (empty when it can be stored)."""
    problems = _check_category(new)
    if not new.unit_id:
        problems.append(Problem("unit", "unit_missing"))
    elif session.get(Unit, new.unit_id) is None:
        problems.append(Problem("unit", "unit_unknown", {"value": new.unit_id}))
    if new.board_id and session.get(Board, new.board_id) is None:
        problems.append(Problem("board", "board_unknown", {"value": new.board_id}))
    if new.aware_at is None:
        problems.append(Problem("aware_at", "aware_missing"))
    elif new.aware_at.tzinfo is None or new.aware_at > now:
        tz = org_timezone(session=session)
        when, current = rules.local(new.aware_at, tz), rules.local(now, tz)
        problems.append(Problem("aware_at", "aware_future", {"when": when, "now": current}))
    if new.registered_by and session.get(Person, new.registered_by) is None:
        problems.append(Problem("by", "by_unknown", {"value": new.registered_by}))
    return problems


def _check_category(new: NewIncident) -> list[Problem]:
    categories = {"choices": ", ".join(CATEGORIES)}
    if not new.category:
        return [Problem("category", "category_missing", categories)]
    if new.category not in CATEGORIES:
        return [Problem("category", "category_unknown", {"value": new.category, **categories})]
    kinds = SUBKINDS.get(new.category)
    if kinds is None:
        problem = Problem("kind", "kind_not_used", {"category": new.category})
        return [problem] if new.subkind else []
    if new.subkind not in kinds:
        params = {"value": new.subkind or "", "choices": ", ".join(kinds)}
        return [Problem("kind", "kind_unknown", params)]
    if new.subkind == EQUIPMENT_LOST and new.equipment not in EQUIPMENT_TYPES:
        params = {"value": new.equipment, "choices": ", ".join(EQUIPMENT_TYPES)}
        return [Problem("equipment", "equipment_unknown", params)]
    return []


def register_incident(new: NewIncident, *, now: datetime, session: Session) -> Incident:
    """Store an incident and open its clocks; raise IncidentInputError (nothing stored) if bad."""
    new = normalised(new)
    problems = check_new(new, now=now, session=session)
    if problems:
        raise IncidentInputError(problems)
    unit = session.get(Unit, new.unit_id)
    incident = Incident(
        category=new.category,
        subkind=new.subkind or "",
        equipment=new.equipment if new.subkind == EQUIPMENT_LOST else "",
        unit_id=unit.id,
        board_id=new.board_id or unit.board_id,
        aware_at=new.aware_at,
        registered_at=now,
        registered_by=new.registered_by,
        source=new.source,
        description=new.description.strip(),
        personal_data=new.personal_data or new.category == PERSONAL_DATA,
        nis2_significant=new.nis2_significant,
    )
    session.add(incident)
    session.flush()
    for kind, deadline in rules.initial_deadlines(
        incident.aware_at,
        incident.personal_data,
        incident.nis2_significant,
        org_timezone(session=session),
    ).items():
        session.add(IncidentClock(incident_id=incident.id, kind=kind, deadline=deadline))
    session.flush()
    return incident


def get_incident(incident_id: int, *, session: Session) -> Incident:
    """The incident with this id, or NotFoundError."""
    incident = session.get(Incident, incident_id)
    if incident is None:
        raise NotFoundError(
            _("incident: ingen incident med id {incident_id} (se `arshjul incident list`)", incident_id=incident_id)
        )
    return incident


def clocks_of(incident_id: int, *, session: Session) -> list[IncidentClock]:
    """The clocks of one incident in legal order."""
    rows = session.exec(select(IncidentClock).where(IncidentClock.incident_id == incident_id)).all()
    return sorted(rows, key=lambda c: rules.CLOCK_ORDER.index(c.kind))


def org_timezone(*, session: Session) -> str:
    """The organisation's timezone (models.organisation), for the clocks' local times."""
    return organisation.info(session=session).timezone


def parse_time(option: str, text: str | None, tz: str) -> datetime | None:
    """An ISO 8601 option value as UTC; a value without offset is local time in `tz`."""
    if not text:
        return None
    try:
        return as_utc(datetime.fromisoformat(text.strip()), tz)
    except ValueError as exc:
        field = option.lstrip("-").replace("-", "_")
        params = {"option": option, "value": text}
        raise IncidentInputError([Problem(field, "time_invalid", params)]) from exc
