"""The one rule for who answers for a scope, who is told, who is escalated to, and who may open what.

Roles are written ROLE@SCOPE in the organisation file: organisation-wide roles have no scope, unit
roles are held for a unit (förvaltning, bolag, förbund), board roles for a board (nämnd). The
notification rules (models.notify.rules) and the portal both ask here; nothing else decides.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlmodel import Session, select

from models.org import Person, PersonRole, Unit

COORDINATOR = "informationssakerhetssamordnare"
DPO = "dataskyddsombud"
IT_SECURITY = "it-sakerhetsansvarig"
CONTACT = "kontaktperson"
CHEF = "chef"
DATA_PROTECTION_CONTACT = "dataskyddskontakt"
#: Organisation-wide roles (no scope).
ORG_ROLES = (COORDINATOR, DPO, IT_SECURITY)
#: Roles held for one unit.
UNIT_ROLES = (CONTACT, CHEF)
#: Roles held for one board.
BOARD_ROLES = (DATA_PROTECTION_CONTACT,)
ALL_ROLES = ORG_ROLES + UNIT_ROLES + BOARD_ROLES
#: Recipient ids of a unit's own channels (its `notify:` apprise URLs) start with this.
UNIT_RECIPIENT = "unit:"


@dataclass
class Directory:
    """Who holds which role where (active people only) and how units and boards relate."""

    holders: dict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))
    unit_board: dict[str, str] = field(default_factory=dict)
    board_units: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    unit_channels: set[str] = field(default_factory=set)

    @classmethod
    def build(cls, roles: Iterable, active_people: set[str], units: Iterable) -> Directory:
        """From PersonRole rows, the ids of active people and the active Unit rows."""
        out = cls()
        for unit in units:
            out.unit_board[unit.id] = unit.board_id
            out.board_units[unit.board_id].append(unit.id)
            if unit.notify:
                out.unit_channels.add(unit.id)
        for row in roles:
            if row.person_id in active_people:
                out.holders[(row.role, row.scope_id)].add(row.person_id)
        return out

    def held(self, role: str, scopes: Iterable[str]) -> set[str]:
        """Active holders of `role` in any of `scopes`."""
        found: set[str] = set()
        for scope in scopes:
            found |= self.holders.get((role, scope), set())
        return found


def load_directory(*, session: Session) -> Directory:
    """Role holders among active people, and the active units."""
    active = set(session.exec(select(Person.id).where(Person.active)))
    units = session.exec(select(Unit).where(Unit.active)).all()
    return Directory.build(session.exec(select(PersonRole)).all(), active, units)


def step_roles(audience_role: str) -> list[str]:
    """The roles of a step's audience (`kontaktperson` or `a, b` for several)."""
    return [r.strip() for r in audience_role.split(",") if r.strip()]


def scopes_for(role: str, scope_kind: str, scope_id: str, directory: Directory) -> list[str]:
    """The PersonRole scope ids where `role` is held for an assignment's scope."""
    if role in ORG_ROLES:
        return [""]
    if role in UNIT_ROLES:
        if scope_kind == "unit":
            return [scope_id]
        if scope_kind == "board":
            return list(directory.board_units.get(scope_id, []))
        return list(directory.unit_board)
    if role in BOARD_ROLES:
        if scope_kind == "board":
            return [scope_id]
        if scope_kind == "unit":
            return [directory.unit_board[scope_id]] if scope_id in directory.unit_board else []
        return list(directory.board_units)
    return []


def audience(step, assignment, directory: Directory) -> list[str]:
    """Recipients of invitations and reminders: audience role holders in the exact scope."""
    found = set()
    for role in step_roles(step.audience_role):
        found |= directory.held(role, [assignment.scope_id])
    if assignment.scope_kind == "unit" and assignment.scope_id in directory.unit_channels:
        found.add(UNIT_RECIPIENT + assignment.scope_id)
    return sorted(found)


def escalation_target(role: str, assignment, directory: Directory) -> list[str]:
    """The people an escalation goes to: `role` in the scope, then organisation-wide, then
    the coordinators (an escalation never vanishes)."""
    for scopes in (scopes_for(role, assignment.scope_kind, assignment.scope_id, directory), [""]):
        found = directory.held(role, scopes)
        if found:
            return sorted(found)
    return sorted(directory.held(COORDINATOR, [""]))


def holders(role: str, scope_id: str = "", *, session: Session) -> list[str]:
    """Ids of the active people holding `role` for `scope_id` ("" for organisation-wide)."""
    stmt = (
        select(Person.id)
        .join(PersonRole, PersonRole.person_id == Person.id)
        .where(PersonRole.role == role, PersonRole.scope_id == scope_id, Person.active)
        .order_by(Person.id)
    )
    return list(session.exec(stmt).all())


def coordinators(*, session: Session) -> list[Person]:
    """The information-security coordinators, by name: whom to contact about anything."""
    stmt = (
        select(Person)
        .join(PersonRole, PersonRole.person_id == Person.id)
        .where(PersonRole.role == COORDINATOR, PersonRole.scope_id == "", Person.active)
        .order_by(Person.name)
    )
    return list(session.exec(stmt))
