"""Who holds a role for a scope: the people behind an assignment and escalation targets."""

from __future__ import annotations

from sqlmodel import Session, select

from models.org import BOARD_ROLES, ORG_ROLES, UNIT_ROLES, Person, PersonRole, Unit


def role_scopes(role: str, scope_kind: str, scope_id: str, *, session: Session) -> list[str]:
    """The PersonRole scope ids that hold `role` for a board, unit or the organisation.

    A unit role asked for a board means the units serving that board; a board role asked for a
    unit means the unit's board; an organisation-wide role is held organisation-wide ("").
    """
    if role in ORG_ROLES:
        return [""]
    if role in UNIT_ROLES:
        if scope_kind == "unit":
            return [scope_id]
        if scope_kind == "board":
            query = select(Unit.id).where(Unit.board_id == scope_id, Unit.active)
            return list(session.exec(query))
        return list(session.exec(select(Unit.id).where(Unit.active)))
    if role in BOARD_ROLES:
        if scope_kind == "board":
            return [scope_id]
        if scope_kind == "unit":
            unit = session.get(Unit, scope_id)
            return [unit.board_id] if unit else []
        return []
    raise ValueError(f"unknown role {role!r}")


def holders(role: str, scope_kind: str, scope_id: str, *, session: Session) -> list[Person]:
    """Active people holding `role` for the scope, ordered by id."""
    scopes = role_scopes(role, scope_kind, scope_id, session=session)
    if not scopes:
        return []
    query = (
        select(Person)
        .join(PersonRole, PersonRole.person_id == Person.id)
        .where(PersonRole.role == role, PersonRole.scope_id.in_(scopes), Person.active)
        .order_by(Person.id)
        .distinct()
    )
    return list(session.exec(query))


def responsible(roles: list[str], scope_kind: str, scope_id: str, *, session: Session) -> list[Person]:
    """Active people holding any of `roles` for the scope, without duplicates, ordered by id."""
    people: dict[str, Person] = {}
    for role in roles:
        for person in holders(role, scope_kind, scope_id, session=session):
            people.setdefault(person.id, person)
    return [people[k] for k in sorted(people)]
