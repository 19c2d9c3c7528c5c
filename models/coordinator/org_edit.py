"""Changing the organisation from the web view, each change written to the audit log.

The rules are those of `org import` (models.org_import): ids `[a-z0-9-]+`, a valid e-mail address
used by nobody else, roles ROLE@SCOPE with a known scope. People are deactivated, never deleted,
so their history stays. A later `org import` of an older file overrides these changes: export
the organisation (models.coordinator.org_export) and keep that file instead.
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, select

from models.coordinator.org_export import role_text
from models.coordinator.tables import AuditEntry
from models.errors import InputError
from models.i18n import _
from models.org import Board, Person, PersonRole, Unit
from models.org_import import _EMAIL, parse_role, role_problem

_ID = re.compile(r"^[a-z0-9-]{1,128}$")


def _audit(session: Session, actor: str, action: str, target: str, before: dict, after: dict,
           now: datetime) -> None:
    session.add(AuditEntry(at=now, actor_id=actor, action=action, target=target, before=before,
                           after=after))


def _person_state(person: Person, session: Session) -> dict:
    roles = session.exec(select(PersonRole).where(PersonRole.person_id == person.id)).all()
    return {"name": person.name, "email": person.email, "active": person.active,
            "roles": sorted(role_text(r.role, r.scope_id) for r in roles)}


def _check_email(email: str, person_id: str, session: Session) -> str:
    email = email.strip()
    if not _EMAIL.match(email):
        raise InputError(_("e-post: '{email}' är ingen e-postadress", email=email))
    taken = session.exec(select(Person.id).where(
        func.lower(Person.email) == email.lower(), Person.id != person_id,
        Person.source == "org", Person.active)).first()
    if taken:
        raise InputError(_("e-post: '{email}' används redan av {taken}", email=email,
                           taken=taken))
    return email


def _check_role(text: str, session: Session) -> tuple[str, str]:
    boards = set(session.exec(select(Board.id).where(Board.active)))
    units = set(session.exec(select(Unit.id).where(Unit.active)))
    problem = role_problem(text, boards, units)
    if problem:
        raise InputError(_("roll: {problem}", problem=problem))
    return parse_role(text)


def _get(person_id: str, session: Session) -> Person:
    person = session.get(Person, person_id)
    if person is None or person.source != "org":
        raise InputError(_("okänd person '{person_id}'", person_id=person_id))
    return person


def add_person(actor: str, person_id: str, name: str, email: str, roles: list[str], *,
               session: Session, now: datetime) -> Person:
    """Add a person (with roles); InputError says what is wrong. Commits."""
    person_id, name = person_id.strip(), name.strip()
    if not _ID.match(person_id):
        raise InputError(_("id: använd a-z, 0-9 och '-'"))
    if session.get(Person, person_id) is not None:
        raise InputError(_("id: '{person_id}' finns redan", person_id=person_id))
    if not name:
        raise InputError(_("namn: skriv ett namn"))
    person = Person(id=person_id, name=name, email=_check_email(email, person_id, session))
    wanted = [_check_role(r, session) for r in roles if r.strip()]
    session.add(person)
    session.flush()
    session.add_all(PersonRole(person_id=person_id, role=r, scope_id=s) for r, s in wanted)
    session.flush()
    _audit(session, actor, "person-add", person_id, {}, _person_state(person, session), now)
    session.commit()
    return person


def edit_person(actor: str, person_id: str, name: str, email: str, *, session: Session,
                now: datetime) -> None:
    """Change a person's name and e-mail address. Commits."""
    person = _get(person_id, session)
    before = _person_state(person, session)
    if not name.strip():
        raise InputError(_("namn: skriv ett namn"))
    person.name, person.email = name.strip(), _check_email(email, person_id, session)
    _save(session, actor, "person-edit", person, before, now)


def set_active(actor: str, person_id: str, active: bool, *, session: Session,
               now: datetime) -> None:
    """Deactivate (or reactivate) a person; their roles and history stay. Commits."""
    person = _get(person_id, session)
    before = _person_state(person, session)
    person.active = active
    person.deactivated_at = None if active else now
    _save(session, actor, "person-activate" if active else "person-deactivate", person, before,
          now)


def change_role(actor: str, person_id: str, text: str, add: bool, *, session: Session,
                now: datetime) -> None:
    """Give a person a role or take it away. Commits."""
    person = _get(person_id, session)
    before = _person_state(person, session)
    role, scope = _check_role(text.strip(), session)
    row = session.exec(select(PersonRole).where(
        PersonRole.person_id == person_id, PersonRole.role == role,
        PersonRole.scope_id == scope)).first()
    if add and row is None:
        session.add(PersonRole(person_id=person_id, role=role, scope_id=scope))
    elif not add and row is not None:
        session.delete(row)
    session.flush()
    _save(session, actor, "role-add" if add else "role-remove", person, before, now)


def _save(session, actor, action, person, before, now) -> None:
    session.add(person)
    session.flush()
    after = _person_state(person, session)
    if after != before:
        _audit(session, actor, action, person.id, before, after, now)
    session.commit()


def replace_contact(actor: str, text: str, new_person_id: str, *, session: Session,
                    now: datetime) -> None:
    """Hand ROLE@SCOPE from whoever holds it now to `new_person_id`. Commits.

    The next reminder, escalation or "Påminn nu" for that scope goes to the new person.
    """
    role, scope = _check_role(text.strip(), session)
    new = _get(new_person_id, session)
    if not new.active:
        raise InputError(_("{name} är inaktiverad", name=new.name))
    rows = session.exec(select(PersonRole).where(PersonRole.role == role,
                                                 PersonRole.scope_id == scope)).all()
    before = sorted(r.person_id for r in rows)
    for row in rows:
        if row.person_id != new.id:
            session.delete(row)
    if new.id not in before:
        session.add(PersonRole(person_id=new.id, role=role, scope_id=scope))
    session.flush()
    _audit(session, actor, "contact-replace", role_text(role, scope), {"holders": before},
           {"holders": [new.id]}, now)
    session.commit()


def audit_log(*, session: Session, limit: int = 100) -> list[AuditEntry]:
    """The latest changes, newest first."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    return list(session.exec(query))
