"""The portal's read path as SQLAlchemy Core queries (no ORM instances).

Every page view reads the same few rows; building ORM objects for them cost about six times the
query itself, so the pages read plain rows into small namespaces instead. Writes (drafts,
submissions) still go through the ORM in models.responses.
"""

from __future__ import annotations

from types import SimpleNamespace

from sqlalchemy import and_, func, select
from sqlmodel import Session

from models.cycle import Assignment, StepInstance
from models.org import Board, Organisation, Person, PersonRole, Unit
from models.responses import ResponseDraft, ResponseVersion

A, S = Assignment.__table__, StepInstance.__table__
_STEP = (
    "id",
    "key",
    "title_sv",
    "title_en",
    "purpose_sv",
    "purpose_en",
    "form",
    "due",
    "retired_at",
    "audience_role",
)
_ASSIGNMENT = ("id", "scope_kind", "scope_id", "retired_at")
_CONTEXT = (
    select(
        *(A.c[name].label(f"a_{name}") for name in _ASSIGNMENT),
        *(S.c[name].label(f"s_{name}") for name in _STEP),
        Organisation.__table__.c.language,
        Organisation.__table__.c.timezone,
        Organisation.__table__.c.name.label("org_name"),
        Unit.__table__.c.name.label("unit_name"),
        Board.__table__.c.name.label("board_name"),
    )
    .join(S, S.c.id == A.c.step_instance_id)
    .outerjoin(Organisation.__table__, Organisation.__table__.c.id == 1)
    .outerjoin(Unit.__table__, and_(A.c.scope_kind == "unit", Unit.__table__.c.id == A.c.scope_id))
    .outerjoin(
        Board.__table__, and_(A.c.scope_kind == "board", Board.__table__.c.id == A.c.scope_id)
    )
)


def assignment_context(assignment_id: int | None, session: Session) -> SimpleNamespace | None:
    """Assignment, step, organisation and scope names of one assignment, or None."""
    row = session.connection().execute(_CONTEXT.where(A.c.id == assignment_id)).first()
    if row is None:
        return None
    m = row._mapping
    return SimpleNamespace(
        assignment=SimpleNamespace(**{n: m[f"a_{n}"] for n in _ASSIGNMENT}),
        step=SimpleNamespace(**{n: m[f"s_{n}"] for n in _STEP}),
        language=m["language"],
        timezone=m["timezone"],
        org_name=m["org_name"],
        scope_name=m["unit_name"] or m["board_name"],
    )


def responsible(roles: list[str], scope: str, session: Session) -> list[tuple[str, str]]:
    """(id, name) of active people holding one of `roles` for `scope`, by name."""
    P, R = Person.__table__, PersonRole.__table__
    stmt = (
        select(P.c.id, P.c.name)
        .join(R, R.c.person_id == P.c.id)
        .where(R.c.role.in_(roles), R.c.scope_id == scope, P.c.active)
        .distinct()
        .order_by(P.c.name, P.c.id)
    )
    return [(pid, name) for pid, name in session.connection().execute(stmt)]


def latest(assignment_id: int, session: Session) -> SimpleNamespace | None:
    """The newest submitted version (version, values, submitted_at, submitted_by), or None."""
    V = ResponseVersion.__table__
    newest = select(func.max(V.c.version)).where(V.c.assignment_id == assignment_id)
    stmt = select(V.c.version, V.c["values"], V.c.submitted_at, V.c.submitted_by).where(
        V.c.assignment_id == assignment_id, V.c.version == newest.scalar_subquery()
    )
    row = session.connection().execute(stmt).first()
    return SimpleNamespace(**row._mapping) if row else None


def draft(assignment_id: int, session: Session) -> SimpleNamespace | None:
    """The working draft (raw, saved_at, saved_by), or None."""
    D = ResponseDraft.__table__
    stmt = select(D.c.raw, D.c.saved_at, D.c.saved_by).where(D.c.assignment_id == assignment_id)
    row = session.connection().execute(stmt).first()
    return SimpleNamespace(**row._mapping) if row else None
