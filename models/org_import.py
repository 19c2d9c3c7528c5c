"""`org import`: the organisation file (DESIGN.md §4) validated whole, then applied all-or-nothing."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlmodel import Session, select

from models import organisation, yamlfile
from models.clock import now
from models.errors import InputError
from models.i18n import _
from models.org import (
    UNIT_KINDS,
    Board,
    Organisation,
    Person,
    PersonRole,
    Unit,
)
from models.roles import BOARD_ROLES, ORG_ROLES, UNIT_ROLES
from models.settings import DEFAULT_TIMEZONE

_ID = r"^[a-z0-9-]+$"
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")


class OrgSection(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1)
    timezone: str = DEFAULT_TIMEZONE
    language: str = Field(default="sv", pattern="^(sv|en)$")

    @field_validator("timezone")
    @classmethod
    def _tz(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(
                _("okänd tidszon '{value}'", value=value)
            ) from exc
        return value


class BoardSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=_ID)
    name: str = Field(min_length=1)


class UnitSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=_ID)
    name: str = Field(min_length=1)
    kind: str = "forvaltning"
    board: str
    notify: list[str] = Field(default_factory=list)

    @field_validator("kind")
    @classmethod
    def _kind(cls, value: str) -> str:
        if value not in UNIT_KINDS:
            kinds = ", ".join(UNIT_KINDS)
            raise ValueError(
                _("okänd typ '{value}' (en av {kinds})", value=value, kinds=kinds)
            )
        return value


class PersonSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=_ID)
    name: str = Field(min_length=1)
    email: str
    roles: list[str] = Field(default_factory=list)
    notify: list[str] = Field(default_factory=list)

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        if not _EMAIL.match(value):
            raise ValueError(
                _("'{value}' är ingen e-postadress", value=value)
            )
        return value.strip()


class DepartmentSpec(BaseModel):
    """A directory department whose people are elected officials (for --include-elected)."""

    model_config = ConfigDict(extra="forbid")
    unit: str
    elected: bool = False


class OrgFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    organisation: OrgSection
    boards: list[BoardSpec] = Field(default_factory=list)
    units: list[UnitSpec] = Field(default_factory=list)
    people: list[PersonSpec] = Field(default_factory=list)
    #: directory department name → unit id or {unit, elected} (campaigns; see docs/campaigns.md)
    departments: dict[str, str | DepartmentSpec] = Field(default_factory=dict)


@dataclass
class ImportResult:
    """What an import did (or would do, with --dry-run), as counts."""

    created: dict[str, int] = field(default_factory=lambda: {"boards": 0, "units": 0, "people": 0})
    updated: dict[str, int] = field(default_factory=lambda: {"boards": 0, "units": 0, "people": 0})
    deactivated: dict[str, int] = field(
        default_factory=lambda: {"boards": 0, "units": 0, "people": 0}
    )


def parse_role(text: str) -> tuple[str, str]:
    """`kontaktperson@socialforvaltningen` → ("kontaktperson", "socialforvaltningen")."""
    role, _sep, scope = text.partition("@")
    return role.strip(), scope.strip()


def read_org_file(path: Path | str) -> OrgFile:
    """Parse and fully validate an organisation file; every problem at once as InputError."""
    located = yamlfile.load(path)
    org = yamlfile.validate(located, OrgFile)
    problems = _cross_check(org, located)
    if problems:
        raise InputError(problems)
    return org


def _duplicates(items, section: str, located) -> list[str]:
    seen: set[str] = set()
    out = []
    for index, item in enumerate(items):
        if item.id in seen:
            message = _("id '{item_id}' finns redan", item_id=item.id)
            out.append(located.problem((section, index, "id"), message))
        seen.add(item.id)
    return out


def _cross_check(org: OrgFile, located) -> list[str]:
    problems = []
    for section in ("boards", "units", "people"):
        problems += _duplicates(getattr(org, section), section, located)
    boards = {b.id for b in org.boards}
    units = {u.id for u in org.units}
    for i, unit in enumerate(org.units):
        if unit.board not in boards:
            message = _("okänd nämnd '{unit_board}'", unit_board=unit.board)
            problems.append(located.problem(("units", i, "board"), message))
    emails: dict[str, int] = {}
    for i, person in enumerate(org.people):
        key = person.email.lower()
        if key in emails:
            problems.append(
                located.problem(
                    ("people", i, "email"),
                    _("e-postadressen '{person_email}' används redan av people[{value}]", person_email=person.email, value=emails[key]),
                )
            )
        emails.setdefault(key, i)
        for j, text in enumerate(person.roles):
            message = _role_problem(text, boards, units)
            if message:
                problems.append(located.problem(("people", i, "roles", j), message))
    for name, value in org.departments.items():
        unit_id = value if isinstance(value, str) else value.unit
        if unit_id not in units:
            message = _("okänd förvaltning '{unit_id}'", unit_id=unit_id)
            problems.append(located.problem(("departments", name), message))
    return problems


def role_problem(text: str, boards: set[str], units: set[str]) -> str | None:
    """What is wrong with the role `text` (ROLE or ROLE@SCOPE) given the known scopes, or None."""
    return _role_problem(text, boards, units)


def _role_problem(text: str, boards: set[str], units: set[str]) -> str | None:
    role, scope = parse_role(text)
    if role in ORG_ROLES:
        if not scope:
            return None
        return _("rollen '{role}' gäller hela organisationen: skriv den utan @{scope}", role=role, scope=scope)
    if role in UNIT_ROLES:
        if not scope:
            return _("rollen '{role}' behöver en förvaltning: {role}@UNIT", role=role)
        if scope in units:
            return None
        return _("okänd förvaltning '{scope}'", scope=scope)
    if role in BOARD_ROLES:
        if not scope:
            return _("rollen '{role}' behöver en nämnd: {role}@BOARD", role=role)
        return None if scope in boards else _("okänd nämnd '{scope}'", scope=scope)
    known = ", ".join(ORG_ROLES + UNIT_ROLES + BOARD_ROLES)
    return _("okänd roll '{role}' (en av {known})", role=role, known=known)


def import_org(path: Path | str, *, session: Session, dry_run: bool = False) -> ImportResult:
    """Validate `path` and apply it to the store; with dry_run, report counts and write nothing.

    Re-import updates by id; boards, units and people missing from the file are deactivated,
    never deleted, so their history stays.
    """
    org = read_org_file(path)
    result = ImportResult()
    _apply_organisation(org, session)
    _upsert(session, Board, org.boards, lambda b: {"name": b.name}, "boards", result)
    _upsert(
        session,
        Unit,
        org.units,
        lambda u: {"name": u.name, "kind": u.kind, "board_id": u.board, "notify": u.notify},
        "units",
        result,
    )
    _upsert(
        session,
        Person,
        org.people,
        lambda p: {"name": p.name, "email": p.email, "notify": p.notify},
        "people",
        result,
        where=Person.source == "org",
    )
    _replace_roles(org, session)
    if dry_run:
        session.rollback()
    else:
        session.commit()
    return result


def _apply_organisation(org: OrgFile, session: Session) -> None:
    row = organisation.row(session=session) or Organisation(id=1, name=org.organisation.name)
    row.name = org.organisation.name
    row.timezone = org.organisation.timezone
    row.language = org.organisation.language
    row.department_map = {
        name: value if isinstance(value, str) else value.model_dump()
        for name, value in org.departments.items()
    }
    session.add(row)


def _upsert(session, table, specs, values, label, result, where=None) -> None:
    query = select(table) if where is None else select(table).where(where)
    existing = {row.id: row for row in session.exec(query)}
    for spec in specs:
        row = existing.pop(spec.id, None) or session.get(table, spec.id)
        if row is None:
            session.add(table(id=spec.id, **values(spec)))
            result.created[label] += 1
            continue
        changed = any(getattr(row, k) != v for k, v in values(spec).items()) or not row.active
        for key, value in values(spec).items():
            setattr(row, key, value)
        row.active = True
        if table is Person:
            row.source, row.deactivated_at = "org", None
        result.updated[label] += int(changed)
        session.add(row)
    for row in existing.values():
        if row.active:
            row.active = False
            if table is Person:
                row.deactivated_at = now()
            result.deactivated[label] += 1
            session.add(row)
    session.flush()


def _replace_roles(org: OrgFile, session: Session) -> None:
    wanted = {(p.id, *parse_role(r)) for p in org.people for r in p.roles}
    ids = {p.id for p in org.people}
    current = session.exec(select(PersonRole).where(PersonRole.person_id.in_(ids))).all()
    for row in current:
        if (row.person_id, row.role, row.scope_id) not in wanted:
            session.delete(row)
    have = {(r.person_id, r.role, r.scope_id) for r in current}
    for person_id, role, scope in sorted(wanted - have):
        session.add(PersonRole(person_id=person_id, role=role, scope_id=scope))
    session.flush()
