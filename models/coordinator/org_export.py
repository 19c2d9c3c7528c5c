"""The organisation as the YAML `org import` reads: what the web view changed, back in a file.

Round trip: importing the export changes nothing, and exporting again gives the same text.
Only what the organisation file holds is written: active boards, units and people from the
file (not campaign directory people), their roles and extra channels, and the departments map.
"""

from __future__ import annotations

import yaml
from sqlmodel import Session, select

from models import organisation
from models.org import Board, Person, PersonRole, Unit


def role_text(role: str, scope: str) -> str:
    """ROLE@SCOPE, or ROLE alone for organisation-wide roles."""
    return f"{role}@{scope}" if scope else role


def org_document(*, session: Session) -> dict:
    """The organisation file's contents as plain data."""
    info = organisation.info(session=session)
    boards = session.exec(select(Board).where(Board.active).order_by(Board.id)).all()
    units = session.exec(select(Unit).where(Unit.active).order_by(Unit.id)).all()
    people = session.exec(
        select(Person).where(Person.active, Person.source == "org").order_by(Person.id)).all()
    roles: dict[str, list[str]] = {}
    for row in session.exec(select(PersonRole).order_by(PersonRole.role, PersonRole.scope_id)):
        roles.setdefault(row.person_id, []).append(role_text(row.role, row.scope_id))
    doc = {
        "organisation": {"name": info.name, "timezone": info.timezone, "language": info.language},
        "boards": [{"id": b.id, "name": b.name} for b in boards],
        "units": [_unit(u) for u in units],
        "people": [_person(p, roles.get(p.id, [])) for p in people],
    }
    if info.department_map:
        doc["departments"] = dict(sorted(info.department_map.items()))
    return doc


def _unit(unit: Unit) -> dict:
    out = {"id": unit.id, "name": unit.name, "kind": unit.kind, "board": unit.board_id}
    if unit.notify:
        out["notify"] = list(unit.notify)
    return out


def _person(person: Person, roles: list[str]) -> dict:
    out = {"id": person.id, "name": person.name, "email": person.email, "roles": roles}
    if person.notify:
        out["notify"] = list(person.notify)
    return out


def export_org(*, session: Session) -> str:
    """The organisation file as YAML text (UTF-8, keys in the file's own order)."""
    header = "# Exported by arshjul (the coordinator's web view); `arshjul org import` reads it.\n"
    body = yaml.safe_dump(org_document(session=session), sort_keys=False, allow_unicode=True,
                          width=100)
    return header + body
