"""The portal's read path as SQLAlchemy Core queries (no ORM instances), built once.

Every page view reads the same few rows; building ORM objects for them cost about six times the
query itself, so the pages read plain rows into small namespaces instead. The statements are
built once at import with bound parameters: constructing a select per request (and computing its
cache key) cost as much CPU as running it. A page reads the assignment with its step,
organisation, scope name, draft and latest version, and the role holders (with their names) and
units that models.roles' rule of who may open it looks at, in one statement (`page_rows`; for
the organisation's own assignments the holders come from a second query).
Nothing is cached between requests: every page sees the store as it is now (a removed
role or a retired step takes effect on the next request). Writes (drafts, submissions) still go
through the ORM in models.cycle.responses.
"""

from __future__ import annotations

from types import SimpleNamespace

from sqlalchemy import JSON, String, and_, bindparam, func, literal, literal_column, null, or_, select, type_coerce
from sqlmodel import Session

from models import roles as role_rules
from models.cycle.responses import ResponseDraft, ResponseVersion
from models.cycle.tables import Assignment, StepInstance
from models.org import Board, Organisation, Person, PersonRole, Unit
from portal import driver_read

A, S = Assignment.__table__, StepInstance.__table__
ORG, U, B = Organisation.__table__, Unit.__table__, Board.__table__
D, V = ResponseDraft.__table__, ResponseVersion.__table__
P, R = Person.__table__, PersonRole.__table__
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
    "escalate",
    "kind",
)
_ASSIGNMENT = ("id", "scope_kind", "scope_id", "retired_at", "submitted_at")
_DRAFT = ("raw", "saved_at", "saved_by")
_LATEST = ("version", "values", "submitted_at", "submitted_by", "on_behalf")
_V2 = V.alias("newest")
_NEWEST = select(func.max(_V2.c.version)).where(_V2.c.assignment_id == A.c.id).scalar_subquery()
_CONTEXT = (
    select(
        *(A.c[name].label(f"a_{name}") for name in _ASSIGNMENT),
        *(S.c[name].label(f"s_{name}") for name in _STEP),
        *(D.c[name].label(f"d_{name}") for name in _DRAFT),
        *(V.c[name].label(f"v_{name}") for name in _LATEST),
        ORG.c.language,
        ORG.c.timezone,
        ORG.c.name.label("org_name"),
        U.c.name.label("unit_name"),
        B.c.name.label("board_name"),
    )
    .join(S, S.c.id == A.c.step_instance_id)
    .outerjoin(ORG, ORG.c.id == 1)
    .outerjoin(U, and_(A.c.scope_kind == "unit", U.c.id == A.c.scope_id))
    .outerjoin(B, and_(A.c.scope_kind == "board", B.c.id == A.c.scope_id))
    .outerjoin(D, D.c.assignment_id == A.c.id)
    .outerjoin(V, and_(V.c.assignment_id == A.c.id, V.c.version == _NEWEST))
    .where(A.c.id == bindparam("assignment_id"))
)
_HOLDERS = (
    select(R.c.person_id, R.c.role, R.c.scope_id, P.c.name, P.c.email)
    .join(P, P.c.id == R.c.person_id)
    .where(R.c.role.in_(bindparam("roles", expanding=True)), P.c.active)
)
_UNITS = select(U.c.id, U.c.board_id, U.c.notify).where(U.c.active)
#: The directory's statements for a unit's and a board's assignment, built once (see above).
_UNITS_BY = {
    "unit": _UNITS.where(U.c.id == bindparam("scope_id")),
    "board": _UNITS.where(U.c.board_id == bindparam("scope_id")),
}
_HOLDERS_IN = _HOLDERS.where(R.c.scope_id.in_(bindparam("scopes", expanding=True)))
_PEOPLE = (
    select(P.c.id, P.c.name, P.c.email)
    .where(P.c.id.in_(bindparam("ids", expanding=True)))
    .order_by(P.c.name, P.c.id)
)

# --- A page's rows in one statement ------------------------------------------------------------
# For a unit's or a board's assignment, the context row, the active units the rule looks at (the
# unit, or the board's units) and the role holders in their scopes (organisation-wide, the unit
# or board, the units' boards) as one UNION ALL: one round trip and one consistent snapshot
# instead of three queries. Holders of every role in those scopes are read (a handful more rows
# than the roles the rule asks about; models.roles only ever looks up the roles it needs).
_SCOPE = (
    select(A.c.scope_kind, A.c.scope_id)
    .where(A.c.id == bindparam("assignment_id"),
           or_(A.c.scope_kind == "unit", A.c.scope_kind == "board"))
    .cte("scope_of")
)
_UNITS_OF = (  # a unit's id may equal a board's: match each kind on its own column
    select(U.c.id, U.c.board_id, U.c.notify)
    .select_from(U.join(_SCOPE, or_(
        and_(_SCOPE.c.scope_kind == "unit", U.c.id == _SCOPE.c.scope_id),
        and_(_SCOPE.c.scope_kind == "board", U.c.board_id == _SCOPE.c.scope_id))))
    .where(U.c.active)
    .cte("units_of")
)
_SCOPES = select(literal("")).select_from(_SCOPE).union_all(
    select(_SCOPE.c.scope_id), select(_UNITS_OF.c.id), select(_UNITS_OF.c.board_id)
)
_EXTRA = {"u_id": String, "u_board": String, "u_notify": JSON, "h_person": String,
          "h_role": String, "h_scope": String, "h_name": String, "h_email": String}


#: Unlabelled NULLs keep the statement's text under 4,096 characters: psycopg caches the parsing
#: of shorter statements only (psycopg._queries.MAX_CACHED_STATEMENT_LENGTH); longer, it parsed
#: the text anew on every execution (≈ 0.06 ms per page).
_NULL = literal_column("NULL")


def _padded(kind: int, columns: dict) -> list:
    """The union's columns in order: kind, the context's, then the units' and holders'."""
    out = [literal_column(str(kind)).label("kind")]
    if kind:
        return out + [_NULL for _ in _CONTEXT.selected_columns] + [
            columns.get(name, _NULL) for name in _EXTRA]
    return out + [*_CONTEXT.selected_columns,
                  *(type_coerce(null(), t).label(name) for name, t in _EXTRA.items())]


_PAGE = (
    _CONTEXT.with_only_columns(*_padded(0, {}))
    .union_all(
        select(*_padded(1, {"u_id": _UNITS_OF.c.id, "u_board": _UNITS_OF.c.board_id,
                            "u_notify": _UNITS_OF.c.notify})),
        select(*_padded(2, {"h_person": R.c.person_id, "h_role": R.c.role, "h_scope": R.c.scope_id,
                            "h_name": P.c.name, "h_email": P.c.email}))
        .join_from(R, P, P.c.id == R.c.person_id)
        .where(P.c.active, R.c.scope_id.in_(_SCOPES)),
    )
)
_PAGE_KEYS = [c.key for c in _PAGE.selected_columns]
_UNIT_AT, _HOLDER_AT = _PAGE_KEYS.index("u_id"), _PAGE_KEYS.index("h_person")


def assignment_context(assignment_id: int | None, session: Session) -> SimpleNamespace | None:
    """Assignment, step, organisation, scope name, draft and latest version, or None.

    `draft` (raw, saved_at, saved_by) and `latest` (version, values, submitted_at, submitted_by:
    the newest submitted version) are None when there is none.
    """
    if assignment_id is None:
        return None
    row = session.connection().execute(_CONTEXT, {"assignment_id": assignment_id}).first()
    return None if row is None else _context(row._mapping)


def page_rows(assignment_id: int | None, session: Session) -> SimpleNamespace | None:
    """assignment_context's namespace, or None; for a unit's or a board's assignment also
    `directory` and `people` as directory_and_people returns them (with holders of every role
    in the scopes the rule looks at), read in the same statement; for the organisation's they
    are None (the caller reads them with directory_and_people)."""
    if assignment_id is None:
        return None
    ctx, units, holders, people = None, [], [], {}
    for row in driver_read.rows(session, _PAGE, {"assignment_id": assignment_id}):
        if row[0] == 0:
            ctx = _context(dict(zip(_PAGE_KEYS, row)))
        elif row[0] == 1:
            unit_id, board_id, notify = row[_UNIT_AT:_UNIT_AT + 3]
            units.append(SimpleNamespace(id=unit_id, board_id=board_id, notify=notify))
        else:
            person_id, role, scope_id, name, email = row[_HOLDER_AT:]
            holders.append(SimpleNamespace(person_id=person_id, role=role, scope_id=scope_id))
            people[person_id] = (name, email or "")
    if ctx is None:
        return None
    ctx.directory = ctx.people = None
    if ctx.assignment.scope_kind in _UNITS_BY:
        ctx.people = people
        ctx.directory = role_rules.Directory.build(holders, set(people), units)
    return ctx


def _context(m) -> SimpleNamespace:
    return SimpleNamespace(
        assignment=_pick(m, "a", _ASSIGNMENT),
        step=_pick(m, "s", _STEP),
        draft=_pick(m, "d", _DRAFT) if m["d_saved_at"] is not None else None,
        latest=_pick(m, "v", _LATEST) if m["v_version"] is not None else None,
        language=m["language"],
        timezone=m["timezone"],
        org_name=m["org_name"],
        scope_name=m["unit_name"] or m["board_name"],
    )


def _pick(m, prefix: str, names: tuple[str, ...]) -> SimpleNamespace:
    return SimpleNamespace(**{n: m[f"{prefix}_{n}"] for n in names})


def people(ids: list[str], session: Session) -> list[tuple[str, str, str]]:
    """(id, name, e-mail) of the people `ids`, by name."""
    if not ids:
        return []
    return [tuple(row) for row in session.connection().execute(_PEOPLE, {"ids": list(ids)})]


def directory(roles: set[str], session: Session, *, scope_kind: str = "organisation",
              scope_id: str = "") -> role_rules.Directory:
    """The holders of `roles` among active people, and the active units, as models.roles'
    Directory (see directory_and_people)."""
    return directory_and_people(roles, session, scope_kind=scope_kind, scope_id=scope_id)[0]


def directory_and_people(
    roles: set[str], session: Session, *, scope_kind: str = "organisation", scope_id: str = ""
) -> tuple[role_rules.Directory, dict[str, tuple[str, str]]]:
    """The holders of `roles` among active people, and the active units, as models.roles'
    Directory (the same rows `roles.load_directory` reads, as plain rows); and the holders'
    (name, e-mail) by id, read in the same query (a page names whom the rule picks from them).

    For a unit's or a board's assignment only the rows the rule can look at are read: the unit
    and its board (or the board and its units) and the organisation-wide roles, so a page costs
    the same in a region of 300 units as in a municipality of 10.
    """
    conn = session.connection()
    if scope_kind in _UNITS_BY:
        units = conn.execute(_UNITS_BY[scope_kind], {"scope_id": scope_id}).all()
        scopes = {"", scope_id, *(u.id for u in units), *(u.board_id for u in units)}
        holders = conn.execute(_HOLDERS_IN, {"roles": sorted(roles),
                                             "scopes": sorted(scopes)}).all()
    else:
        units = conn.execute(_UNITS).all()
        holders = conn.execute(_HOLDERS, {"roles": sorted(roles)}).all()
    people = {h.person_id: (h.name, h.email or "") for h in holders}
    return role_rules.Directory.build(holders, set(people), units), people
