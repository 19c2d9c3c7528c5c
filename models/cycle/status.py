"""`status`: per step window and progress, per assignment who answered and who is late."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime

from sqlalchemy import func
from sqlmodel import Session, select

from models import organisation
from models.cycle.tables import Assignment, StepInstance
from models.errors import InputError
from models.i18n import N_, _, gettext


@dataclass
class StepStatus:
    key: str
    title: str
    phase: str
    kind: str
    opens: date
    due: date
    state: str  # upcoming | open | past-due (STATE_LABELS)
    total: int
    submitted: int
    overdue: int


@dataclass
class AssignmentStatus:
    step: str
    assignment_id: int
    scope_kind: str
    scope_id: str
    scope_name: str
    submitted_at: datetime | None
    overdue: bool


#: What a step's state is called, in both languages: the one list of them.
STATE_LABELS = {"upcoming": N_("kommande"), "open": N_("pågår"), "past-due": N_("passerad")}


def state_label(state: str, lang: str = "sv") -> str:
    """The word for a step's state ("kommande", "pågår", "passerad")."""
    return gettext(STATE_LABELS[state], lang) if state in STATE_LABELS else state


def years_in_progress(at: datetime, *, session: Session) -> list[int]:
    """The cycles still running at `at`: every planned year with a step not yet past its due
    date (in January the last cycle's annual report and the new cycle), else the local year."""
    today = local_today(at, session=session)
    query = select(StepInstance.year).where(StepInstance.retired_at.is_(None),
                                            StepInstance.due >= today).distinct()
    return sorted(session.exec(query).all()) or [today.year]


@dataclass
class CycleChoice:
    """The cycle `status` shows without --year, and why (see `cycle_in_progress`)."""

    year: int
    opens: date
    due: date
    why: str  # open | ended | upcoming
    others_open: tuple[int, ...] = ()


def cycle_windows(*, session: Session) -> dict[int, tuple[date, date]]:
    """Each planned year's window: its first opening and its last due date."""
    query = (select(StepInstance.year, func.min(StepInstance.opens), func.max(StepInstance.due))
             .where(StepInstance.retired_at.is_(None)).group_by(StepInstance.year))
    return {year: (opens, due) for year, opens, due in session.exec(query)}


def cycle_in_progress(today: date, *, session: Session) -> CycleChoice | None:
    """The planned year whose window contains `today` (the oldest, when the last cycle's
    annual report is still open in January beside the new cycle), else the latest planned
    year that ended before `today`, else the first planned year still to come; None if
    nothing is planned."""
    windows = cycle_windows(session=session)
    running = sorted(y for y, (o, d) in windows.items() if o <= today <= d)
    ended = sorted(y for y, (_o, d) in windows.items() if d < today)
    if running:
        year, why = running[0], "open"
    elif ended:
        year, why = ended[-1], "ended"
    elif windows:
        year, why = min(windows), "upcoming"
    else:
        return None
    opens, due = windows[year]
    return CycleChoice(year, opens, due, why, tuple(running[1:]))


CYCLE_LINES = {
    "open": N_("Årshjul {year}: cykeln pågår ({opens} – {due})."),
    "ended": N_("Årshjul {year}: den senaste cykeln, avslutad {due} (ingen cykel pågår nu)."),
    "upcoming": N_("Årshjul {year}: ingen cykel pågår ännu; den här börjar {opens}."),
}


def cycle_line(choice: CycleChoice, lang: str = "sv") -> str:
    """The first line of `status` without --year: which year and why."""
    line = gettext(CYCLE_LINES[choice.why], lang, year=choice.year, opens=choice.opens,
                   due=choice.due)
    if choice.others_open:
        line += " " + gettext("Även {years} har börjat (--year {first}).", lang,
                              years=", ".join(map(str, choice.others_open)),
                              first=choice.others_open[0])
    return line


def local_today(at: datetime, *, session: Session) -> date:
    """The organisation's local date at `at` (UTC)."""
    return organisation.local_today(at, session=session)


def is_overdue(step: StepInstance, assignment: Assignment, today: date) -> bool:
    """Not submitted and the due date has passed (due is the last day to answer)."""
    return assignment.submitted_at is None and today > step.due


def _state(step: StepInstance, today: date) -> str:
    if today < step.opens:
        return "upcoming"
    return "open" if today <= step.due else "past-due"


def step_status(
    year: int,
    at: datetime,
    *,
    session: Session,
    units: frozenset[str] | None = None,
    info: organisation.OrgInfo | None = None,
    steps: list[StepInstance] | None = None,
) -> list[StepStatus]:
    """One row per active step instance of `year`, ordered by opening date.

    With `units`, only the assignments of those units count (a chef's view in the web view);
    `info` is the organisation and `steps` the year's active steps (`active_steps`) when the
    caller has read them already: then only the counts are read.
    """
    info = info or organisation.info(session=session)
    today, lang = info.today(at), info.language
    if steps is None:
        found = session.exec(_status_query(year, units))
    else:
        counts = {sid: (total, submitted) for sid, total, submitted
                  in session.exec(_counts(year, units))}
        found = [(step, *counts.get(step.id, (0, 0))) for step in steps]
    rows = []
    for step, total, submitted in found:
        total, submitted = total or 0, submitted or 0
        rows.append(
            StepStatus(
                key=step.key,
                title=step.title_en if lang == "en" else step.title_sv,
                phase=step.phase,
                kind=step.kind,
                opens=step.opens,
                due=step.due,
                state=_state(step, today),
                total=total,
                submitted=submitted,
                # is_overdue, counted: the unsubmitted ones once the due date has passed
                overdue=total - submitted if today > step.due else 0,
            )
        )
    return rows


def _counts(year: int, units):
    """Per step instance of `year`: its live assignments and how many are submitted."""
    a = Assignment
    counts = (
        select(a.step_instance_id.label("sid"), func.count().label("total"),
               func.count(a.submitted_at).label("submitted"))
        .where(a.retired_at.is_(None),
               a.step_instance_id.in_(select(StepInstance.id).where(StepInstance.year == year)))
        .group_by(a.step_instance_id)
    )
    if units is not None:
        counts = counts.where(a.scope_kind == "unit", a.scope_id.in_(sorted(units) or [""]))
    return counts


def _status_query(year: int, units):
    # One statement for every step of the year: the steps joined to one aggregate of their
    # assignments (loading every assignment row was most of a region's overview page, and a
    # statement per step most of the status artifacts of a tick).
    counts = _counts(year, units).subquery()
    return (
        select(StepInstance, counts.c.total, counts.c.submitted)
        .outerjoin(counts, counts.c.sid == StepInstance.id)
        .where(StepInstance.year == year, StepInstance.retired_at.is_(None))
        .order_by(StepInstance.opens, StepInstance.key)
    )


def assignment_status(year: int, step_id: str, at: datetime, *, session: Session):
    """Rows per assignment of the step (`step_id` may be a step id or an instance key)."""
    today = local_today(at, session=session)
    steps = [s for s in active_steps(year, session) if step_id in (s.step_id, s.key)]
    if not steps:
        raise InputError(
            "--step: "
            + _("inget steg '{step_id}' är planerat för {year}", step_id=step_id, year=year)
        )
    names = organisation.scope_names(session=session)
    return [
        AssignmentStatus(
            step=step.key,
            assignment_id=a.id,
            scope_kind=a.scope_kind,
            scope_id=a.scope_id,
            scope_name=names.get((a.scope_kind, a.scope_id), a.scope_id),
            submitted_at=a.submitted_at,
            overdue=is_overdue(step, a, today),
        )
        for step in steps
        for a in _assignments(step, session)
    ]


def as_dicts(rows) -> list[dict]:
    """Rows as plain dicts with ISO dates (for json/csv output and artifacts)."""
    out = []
    for row in rows:
        item = asdict(row)
        out.append({k: v.isoformat() if isinstance(v, date) else v for k, v in item.items()})
    return out


def active_steps(year: int, session: Session) -> list[StepInstance]:
    """The year's step instances that are not retired, by opening date and key."""
    query = (
        select(StepInstance)
        .where(StepInstance.year == year, StepInstance.retired_at.is_(None))
        .order_by(StepInstance.opens, StepInstance.key)
    )
    return list(session.exec(query))


def _assignments(step: StepInstance, session: Session) -> list[Assignment]:
    query = select(Assignment).where(
        Assignment.step_instance_id == step.id, Assignment.retired_at.is_(None)
    )
    return list(session.exec(query.order_by(Assignment.scope_id)))
