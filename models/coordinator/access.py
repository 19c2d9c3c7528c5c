"""Who may use the coordinator's web view, and what each of them may see.

The organisation-wide roles (informationssäkerhetssamordnare, dataskyddsombud,
IT-säkerhetsansvarig) see and change everything; a chef (förvaltningschef) sees only the units
they are chef of, and changes nothing in the organisation. Everyone else is not let in at all.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from models.org import Person
from models.roles import CHEF, ORG_ROLES, roles_of


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
    held = roles_of(person_id, session=session)
    org_wide = any(role in ORG_ROLES for role, _ in held)
    units = frozenset(scope for role, scope in held if role == CHEF)
    if not org_wide and not units:
        return None
    return Viewer(person.id, person.name, org_wide, units)
