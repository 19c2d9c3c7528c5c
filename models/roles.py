"""The one rule for who answers for a scope, who is told, who is escalated to, who may open what.

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


def load_directory(*, session: Session, only: Iterable[str] | None = None) -> Directory:
    """Role holders among active people (of the roles `only`, when given), and the active
    units."""
    query = select(PersonRole).join(Person, Person.id == PersonRole.person_id).where(Person.active)
    if only is not None:
        query = query.where(PersonRole.role.in_(sorted(set(only))))
    rows = session.exec(query).all()
    units = session.exec(select(Unit).where(Unit.active)).all()
    return Directory.build(rows, {r.person_id for r in rows}, units)


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


def roles_of(person_id: str, *, session: Session) -> list[tuple[str, str]]:
    """The (role, scope id) pairs `person_id` holds, whether or not they are active."""
    stmt = select(PersonRole.role, PersonRole.scope_id).where(PersonRole.person_id == person_id)
    return sorted((role, scope) for role, scope in session.exec(stmt))


def coordinators(*, session: Session) -> list[Person]:
    """The information-security coordinators, by name: whom to contact about anything."""
    stmt = (
        select(Person)
        .join(PersonRole, PersonRole.person_id == Person.id)
        .where(PersonRole.role == COORDINATOR, PersonRole.scope_id == "", Person.active)
        .order_by(Person.name)
    )
    return list(session.exec(stmt))


# --- Who may open what -------------------------------------------------------------------------
# What a person may do with the subject of a portal link (models.links kinds). The portal asks
# `may_open` for every page; the notification rules above pick the recipients with the same
# functions, so every link a message carries opens for the person it was sent to.

#: answers for the assignment: its form, editable.
ANSWER = "answer"
#: escalated to (or a coordinator, the DPO): an overview, answering on the contact's behalf, and
#: naming a new contact.
OVERSEE = "oversee"
#: a campaign's completion in a unit (the unit's chef; the coordinators).
UNIT_PROGRESS = "unit-progress"
#: one's own state in a campaign (done or not, what to do, the deadline).
OWN_PROGRESS = "own-progress"
#: Organisation-wide roles that oversee every assignment.
OVERSEERS = (COORDINATOR, DPO)


@dataclass(frozen=True)
class Work:
    """What the rule needs to know of an assignment: its scope and its step's roles."""

    scope_kind: str
    scope_id: str
    audience_role: str
    escalate_to: tuple[str, ...] = ()
    #: the step has a form to answer (a campaign step has none: the campaign is the answer).
    answerable: bool = True

    @classmethod
    def of(cls, step, assignment) -> Work:
        """From a step instance (or its row) and an assignment (or its row)."""
        return cls(assignment.scope_kind, assignment.scope_id, step.audience_role,
                   tuple(rule["to"] for rule in step.escalate or []), bool(step.form))


@dataclass(frozen=True)
class CampaignFacts:
    """What the rule needs to know of a campaign link: membership, or the unit it is about."""

    member: bool = False
    unit_id: str | None = None


def overseers(work: Work, directory: Directory) -> set[str]:
    """Everyone an escalation of `work` can reach, the coordinators and the DPO."""
    found = directory.held(COORDINATOR, [""]) | directory.held(DPO, [""])
    for role in work.escalate_to:
        found |= set(escalation_target(role, work, directory))
    return found


def assignment_access(person_id: str, work: Work, directory: Directory) -> str | None:
    """ANSWER for the responsible, OVERSEE for whom a late answer is escalated to, UNIT_PROGRESS
    for both on a campaign step; None for anyone else."""
    if person_id in audience(work, work, directory):
        return ANSWER if work.answerable else UNIT_PROGRESS
    if person_id in overseers(work, directory):
        return OVERSEE if work.answerable else UNIT_PROGRESS
    return None


def unit_chefs(unit_id: str | None, directory: Directory) -> list[str]:
    """Whom a campaign tells about a unit: its chefs, else the coordinators."""
    return sorted(directory.held(CHEF, [unit_id or ""]) or directory.held(COORDINATOR, [""]))


def campaign_access(person_id: str, facts: CampaignFacts, directory: Directory) -> str | None:
    """OWN_PROGRESS for a member; UNIT_PROGRESS for a unit's chefs and the coordinators."""
    if facts.unit_id is None:
        return OWN_PROGRESS if facts.member else None
    unit = facts.unit_id if facts.unit_id != "-" else None
    if person_id in set(unit_chefs(unit, directory)) | directory.held(COORDINATOR, [""]):
        return UNIT_PROGRESS
    return None


def may_open(person_id: str, facts: Work | CampaignFacts | None,
             directory: Directory) -> str | None:
    """What `person_id` may do with a link's subject (ANSWER, OVERSEE, UNIT_PROGRESS,
    OWN_PROGRESS), or None: the one rule behind every portal page a message links to.

    Args:
        person_id: the person the link was made for.
        facts: the subject as the rule needs it: a `Work` for an assignment link, `CampaignFacts`
            for a campaign link; None when the subject does not exist.
        directory: role holders now (`load_directory`).
    """
    if not person_id or facts is None:
        return None
    if isinstance(facts, Work):
        return assignment_access(person_id, facts, directory)
    return campaign_access(person_id, facts, directory)


# --- who may use the coordinator's web view (docs/coordinator.md), and what each may see ---
# The organisation-wide roles see and change everything; a chef sees only the units they are
# chef of and changes nothing in the organisation; everyone else is not let in at all.


@dataclass(frozen=True)
class Viewer:
    """A person signed in to the web view and the scopes they may see."""

    person_id: str
    name: str
    org_wide: bool
    #: units a chef may see (empty for organisation-wide viewers, who see all)
    units: frozenset[str]

    def sees_unit(self, unit_id: str) -> bool:
        """Whether this viewer may open the unit `unit_id`."""
        return self.org_wide or unit_id in self.units

    def sees(self, scope_kind: str, scope_id: str) -> bool:
        """Whether this viewer may see an assignment of this scope."""
        return self.org_wide or (scope_kind == "unit" and scope_id in self.units)

    @property
    def may_edit(self) -> bool:
        """Whether this viewer may change the organisation and record reminders for any scope."""
        return self.org_wide


def viewer_of(person_id: str, *, session: Session) -> Viewer | None:
    """The viewer `person_id` signs in as, or None (unknown, deactivated or no such role)."""
    person = session.get(Person, person_id)
    if person is None or not person.active:
        return None
    return viewer_holding(person.id, person.name, roles_of(person_id, session=session))


def viewer_holding(person_id: str, name: str, held: Iterable[tuple[str, str]]) -> Viewer | None:
    """The viewer an active person holding the (role, scope id) pairs `held` signs in as, or
    None when no role of theirs opens the web view."""
    held = list(held)
    org_wide = any(role in ORG_ROLES for role, _ in held)
    units = frozenset(scope for role, scope in held if role == CHEF)
    if not org_wide and not units:
        return None
    return Viewer(person_id, name, org_wide, units)
