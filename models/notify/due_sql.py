"""What is new and due, decided in the store: one statement per rule family.

The rules (models/notify/rules.py) pick each live step's current events in Python (the latest
event of each chain at or before `now`: a few dozen steps, no assignments); steps without one
are skipped. The store then returns only the (assignment, recipient) pairs of those events that
the ledger does not hold yet, by an anti-join on the ledger's unique key. Recipients are resolved
in SQL exactly as models/roles.py does it (`audience`, `escalation_target`):

* audience: active holders of the step's audience role(s) with the assignment's scope id, plus
  `unit:<id>` for an active unit with `notify:` channels;
* escalation: active holders of the rule's role in the assignment's scopes (`scopes_for`), else
  organisation-wide holders of the role, else the coordinators.

A re-tick with nothing new therefore reads no ledger keys into Python: two statements (one per
family) that return no rows. `tests/models/notify/test_due_sql.py` holds the SQL to the rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Integer, String, and_, cast, exists, func, literal, or_, select, union_all
from sqlmodel import Session

from models.cycle.tables import Assignment, StepInstance
from models.notify import rules
from models.notify.ledger import Notification
from models.org import Person, PersonRole, Unit
from models.roles import BOARD_ROLES, COORDINATOR, ORG_ROLES, UNIT_RECIPIENT, UNIT_ROLES, step_roles

A, N = Assignment.__table__, Notification.__table__
PR, P, U = PersonRole.__table__, Person.__table__, Unit.__table__


@dataclass(frozen=True, eq=False)
class Current:
    """A step's current event of one chain (the only one of that chain that may be due)."""

    step: StepInstance
    event: rules.Event


def current_events(steps, now: datetime, clock: rules.Clock) -> tuple[list, list]:
    """(audience events, escalation events) due at `now`: one per live step and chain at most."""
    if not clock.in_send_window(now):
        return [], []
    audience, escalation = [], []
    for step in steps:
        if step.retired_at is not None:
            continue
        if (event := rules.latest(rules.audience_chain(step, clock), now)) is not None:
            audience.append(Current(step, event))
        if (event := rules.latest(rules.escalation_chain(step, clock), now)) is not None:
            escalation.append(Current(step, event))
    return audience, escalation


def _open(step_id: int):
    return and_(A.c.step_instance_id == step_id, A.c.retired_at.is_(None),
                A.c.submitted_at.is_(None))


def _unknown(event: rules.Event, recipient):
    """No ledger row yet for this event of the assignment and `recipient` (the unique key)."""
    subject = literal("assignment:", String) + cast(A.c.id, String)
    return ~exists().where(N.c.kind == event.kind, N.c.subject == subject,
                           N.c.occasion == event.occasion, N.c.recipient_id == recipient)


def _row(index: int, recipient):
    return select(A.c.id.label("assignment_id"), recipient.label("recipient"),
                  literal(index, Integer).label("event"))


def _audience(index: int, current: Current, channels: bool) -> list:
    """New audience pairs of one step's current invitation or reminder (`channels`: some active
    unit has `notify:` channels; without, the unit part is left out rather than probed)."""
    step, event = current.step, current.event
    # the step's kind spelled out (its open assignments are all of it) lets PostgreSQL probe
    # uq_assignment (step, kind, scope) per holder instead of filtering the step's assignments
    people = (_row(index, PR.c.person_id)
              .select_from(A.join(PR, PR.c.scope_id == A.c.scope_id).join(P, P.c.id == PR.c.person_id))
              .where(_open(step.id), _kind_is(_per(step)),
                     PR.c.role.in_(step_roles(step.audience_role)), P.c.active,
                     _unknown(event, PR.c.person_id)))
    if not channels:
        return [people]
    unit = literal(UNIT_RECIPIENT, String) + A.c.scope_id
    return [people, _row(index, unit).select_from(A.join(U, U.c.id == A.c.scope_id))
            .where(_open(step.id), A.c.scope_kind == "unit", _HAS_CHANNELS, _unknown(event, unit))]


_HAS_CHANNELS = and_(U.c.active, U.c.notify.is_not(None),
                     cast(U.c.notify, String).not_in(["[]", "null"]))


def any_channels(*, session: Session) -> bool:
    """Whether any active unit has `notify:` channels of its own."""
    return session.execute(select(U.c.id).where(_HAS_CHANNELS).limit(1)).first() is not None


def _scopes(role: str, scope_kind: str):
    """PersonRole.scope_id condition for `role` and assignments of `scope_kind` (roles.scopes_for)
    and the condition on the assignment's kind; None when the role is held nowhere."""
    # correlated to the assignment explicitly: these also sit two levels down, in the EXISTS
    # of "nobody holds it in scope", where implicit correlation would add `assignment` again
    active = select(U.c.id).where(U.c.active).correlate(A)
    boards = select(U.c.board_id).where(U.c.active).correlate(A)
    if role in ORG_ROLES:
        return PR.c.scope_id == ""
    if role in UNIT_ROLES:
        return {"unit": PR.c.scope_id == A.c.scope_id,
                "board": PR.c.scope_id.in_(active.where(U.c.board_id == A.c.scope_id)),
                }.get(scope_kind, PR.c.scope_id.in_(active))
    if role in BOARD_ROLES:
        return {"board": PR.c.scope_id == A.c.scope_id,
                "unit": PR.c.scope_id.in_(boards.where(U.c.id == A.c.scope_id)),
                }.get(scope_kind, PR.c.scope_id.in_(boards))
    return None


def _per(step: StepInstance) -> str:
    """The kind of the step's open assignments (planning retires those of other kinds)."""
    return step.audience_per if step.audience_per in ("unit", "board") else "other"


def _kind_is(scope_kind: str):
    return A.c.scope_kind == scope_kind if scope_kind != "other" else \
        A.c.scope_kind.not_in(["unit", "board"])


def _escalation(index: int, current: Current, fallback: list[str]) -> list:
    """New pairs of one step's current escalation: holders in scope, else `fallback` (the
    organisation-wide holders of the role, else the coordinators)."""
    event, step = current.event, current.step
    out = []
    # a step's open assignments are all of its audience's kind (planning retires the others):
    # statements for the other kinds would cost a join of every holder with every assignment
    for scope_kind in (_per(step),):
        scopes = _scopes(event.role, scope_kind)
        where = [_open(step.id), _kind_is(scope_kind)]
        if scopes is not None:
            held = and_(PR.c.role == event.role, scopes)
            holder = and_(P.c.id == PR.c.person_id, P.c.active)
            out.append(_row(index, PR.c.person_id).select_from(A.join(PR, held).join(P, holder))
                       .where(*where, _unknown(event, PR.c.person_id)))
            where.append(~exists().select_from(PR.join(P, holder)).where(held).correlate(A))
        for person in fallback:
            out.append(_row(index, literal(person, String)).select_from(A)
                       .where(*where, _unknown(event, literal(person, String))))
    return out


def fallbacks(roles: set[str], *, session: Session) -> dict[str, list[str]]:
    """Per escalation role: its active organisation-wide holders, else the coordinators."""
    query = (select(PR.c.role, PR.c.person_id).join(P, P.c.id == PR.c.person_id)
             .where(P.c.active, PR.c.scope_id == "", PR.c.role.in_(sorted(roles | {COORDINATOR}))))
    held: dict[str, list[str]] = {}
    for role, person in session.execute(query):
        held.setdefault(role, []).append(person)
    return {role: sorted(set(held.get(role) or held.get(COORDINATOR, []))) for role in roles}


def statements(audience: list[Current], escalation: list[Current], *, session: Session) -> list:
    """The due-set statements, one per rule family that has a current event (audience first);
    each row is (assignment id, recipient, index of the event in audience + escalation)."""
    per_role = fallbacks({c.event.role for c in escalation}, session=session) if escalation else {}
    channels = any_channels(session=session) if audience else False
    key = (channels, tuple((c.step.id, c.event.occasion, c.step.audience_role) for c in audience),
           tuple((c.step.id, c.event.occasion, tuple(per_role[c.event.role])) for c in escalation))
    if key not in _BUILT:  # the same events tick after tick: build (and compile) them once
        families = [[q for i, c in enumerate(audience) for q in _audience(i, c, channels)],
                    [q for i, c in enumerate(escalation, len(audience))
                     for q in _escalation(i, c, per_role[c.event.role])]]
        if len(_BUILT) >= 32:
            _BUILT.clear()
        _BUILT[key] = [union_all(*f) if len(f) > 1 else f[0] for f in families if f]
    return _BUILT[key]


_BUILT: dict[tuple, list] = {}


def new_pairs(audience: list[Current], escalation: list[Current], *,
              session: Session) -> list[tuple[Current, int, str]]:
    """(current event, assignment id, recipient) not yet in the ledger, in a stable order:
    by assignment, audience before escalation, by recipient."""
    events = audience + escalation
    found: set[tuple[Current, int, str]] = set()
    for statement in statements(audience, escalation, session=session):
        found |= {(events[e], aid, who) for aid, who, e in session.execute(statement)}
    return sorted(found, key=lambda f: (f[1], f[0].event.kind == rules.ESCALATION, f[2]))


def recorded_due(events: list[Current], *, session: Session) -> int:
    """Ledger rows already recorded for the current events (the `due` count beside the new)."""
    if not events:
        return 0
    query = select(func.count()).select_from(N).where(or_(*(
        and_(N.c.step_instance_id == c.step.id, N.c.kind == c.event.kind,
             N.c.occasion == c.event.occasion) for c in events)))
    return session.execute(query).scalar() or 0


def live_steps(today: date, lookback, *, session: Session) -> list[StepInstance]:
    """Live steps whose due date is recent enough to produce events."""
    query = select(StepInstance).where(StepInstance.retired_at.is_(None),
                                       StepInstance.due >= today - lookback)
    return list(session.scalars(query))

