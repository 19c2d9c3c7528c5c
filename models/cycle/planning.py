"""`plan`: materialise a year of the wheel as dated step instances and one assignment per scope."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import Session, select

from models import organisation
from models.clock import now
from models.cycle.tables import Assignment, Cycle, StepInstance
from models.cycle.wheel import DEFAULT_WHEEL, DatedStep, instances, load_wheel
from models.errors import InputError
from models.i18n import _
from models.org import Board, Unit


@dataclass
class PlanResult:
    """Counts of what a (re-)plan did."""

    year: int
    steps: int = 0
    instances: int = 0
    assignments_created: int = 0
    assignments_retired: int = 0
    assignments_total: int = 0
    retired_steps: list[str] = field(default_factory=list)


def plan_cycle(year: int, *, session: Session, wheel_path: Path | str | None = None) -> PlanResult:
    """Create or update the cycle for `year`; idempotent, never deletes responses or history.

    Assignments whose scope left the organisation are retired (kept, marked), new scopes get new
    assignments, and steps that left the wheel are retired with their assignments.
    """
    if not 2000 <= year <= 2100:
        raise InputError(
            "--year: "
            + _("{year} är inget rimligt årtal", year=year)
        )
    if not organisation.info(session=session).loaded:
        raise InputError(
            _("ingen organisation i lagret: kör `arshjul org import FILE` först")
        )
    wheel = load_wheel(wheel_path)
    stamp = now()
    cycle = session.get(Cycle, year) or Cycle(year=year, wheel_file="", planned_at=stamp)
    cycle.wheel_file, cycle.planned_at = str(wheel_path or DEFAULT_WHEEL), stamp
    session.add(cycle)
    result = PlanResult(year=year, steps=len(wheel.steps))
    scopes = _scopes(session)
    existing = {s.key: s for s in session.exec(select(StepInstance).where(StepInstance.year == year))}
    for spec in wheel.steps:
        for dated in instances(spec, year):
            row = _upsert_instance(existing.pop(dated.key, None), dated, year, session)
            result.instances += 1
            _sync_assignments(row, scopes[spec.audience.per], result, session, stamp)
    for row in existing.values():
        if row.retired_at is None:
            row.retired_at = stamp
            result.retired_steps.append(row.key)
            session.add(row)
    session.commit()
    return result


def _scopes(session: Session) -> dict[str, list[str]]:
    return {
        "board": [b.id for b in session.exec(select(Board).where(Board.active).order_by(Board.id))],
        "unit": [u.id for u in session.exec(select(Unit).where(Unit.active).order_by(Unit.id))],
        "organisation": [""],
    }


def _upsert_instance(row: StepInstance | None, dated: DatedStep, year: int, session) -> StepInstance:
    spec = dated.spec
    values = {
        "step_id": spec.id,
        "seq": dated.seq,
        "title_sv": spec.title.sv,
        "title_en": spec.title.en,
        "purpose_sv": spec.purpose.sv if spec.purpose else "",
        "purpose_en": spec.purpose.en if spec.purpose else "",
        "phase": spec.phase,
        "kind": spec.kind,
        "form": spec.form,
        "audience_role": ",".join(spec.audience.roles),
        "audience_per": spec.audience.per,
        "opens": dated.opens,
        "due": dated.due,
        "remind": list(spec.remind),
        "escalate": [e.model_dump() for e in spec.escalate],
        "options": dict(spec.options),
        "retired_at": None,
    }
    row = row or StepInstance(year=year, key=dated.key, **values)
    for key, value in values.items():
        setattr(row, key, value)
    session.add(row)
    session.flush()
    return row


def _sync_assignments(step: StepInstance, scope_ids: list[str], result, session, stamp) -> None:
    rows = session.exec(select(Assignment).where(Assignment.step_instance_id == step.id)).all()
    by_scope = {(a.scope_kind, a.scope_id): a for a in rows}
    kind = step.audience_per
    for scope_id in scope_ids:
        row = by_scope.pop((kind, scope_id), None)
        if row is None:
            session.add(Assignment(step_instance_id=step.id, scope_kind=kind, scope_id=scope_id))
            result.assignments_created += 1
        elif row.retired_at is not None:
            row.retired_at = None
            session.add(row)
        result.assignments_total += 1
    for row in by_scope.values():
        if row.retired_at is None:
            row.retired_at = stamp
            result.assignments_retired += 1
            session.add(row)
