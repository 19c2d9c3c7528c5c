"""The newest submitted answers of a year's assignments, as the report and the statistics read them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from models.cycle.responses import latest_versions
from models.cycle.tables import Assignment, StepInstance

#: key of `session.info` under which one report build memoises its answer look-ups
CACHE = "arshjul_report_cache"


@dataclass
class Answer:
    """One submitted questionnaire answer of one scope."""

    scope_kind: str
    scope_id: str
    submitted_at: datetime | None
    data: dict


def assignments(
    session: Session, year: int, step_id: str | None = None, *, form: str | None = None
) -> list[tuple[StepInstance, Assignment]]:
    """The live assignments of a step (by step id, or of every step asking `form`) in a year."""
    stmt = (
        select(StepInstance, Assignment)
        .join(Assignment, Assignment.step_instance_id == StepInstance.id)
        .where(
            StepInstance.year == year,
            StepInstance.retired_at.is_(None),
            Assignment.retired_at.is_(None),
        )
        .order_by(StepInstance.seq, Assignment.scope_id)
    )
    stmt = (
        stmt.where(StepInstance.step_id == step_id)
        if step_id
        else stmt.where(StepInstance.form == form)
    )
    return list(session.exec(stmt).all())


def answers_for(session: Session, year: int, form: str) -> list[Answer]:
    """The newest submitted answer of every live assignment asking `form` in a year.

    Questionnaires are found by their form id, so a coordinator's own wheel may name its steps
    as it likes.
    """
    cache = session.info.get(CACHE)
    if cache is not None and ("answers", year, form) in cache:
        return cache[("answers", year, form)]
    pairs = assignments(session, year, form=form)
    versions = latest_versions([a.id for _s, a in pairs], session=session)
    out = [
        Answer(a.scope_kind, a.scope_id, versions[a.id].submitted_at, versions[a.id].values)
        for _s, a in pairs
        if a.id in versions
    ]
    if cache is not None:
        cache[("answers", year, form)] = out
    return out
