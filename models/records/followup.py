"""The follow-up of a year's action plan: each activity with the status its unit reported.

The follow-up step asks each unit's contact, in the `handlingsplan-status` form, for the status of
the unit's own activities; the form starts pre-filled with them (`prefill`). An answered row is
matched to the unit's activity by its title; a row that matches none is an activity the unit added
and is followed up as well. An activity nobody answered for keeps the status stored on it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, select

from models.cycle.forms import get_form
from models.cycle.submitted import answers_for
from models.cycle.tables import Assignment, StepInstance
from models.i18n import gettext
from models.records.tables import PlanActivity

FORM = "handlingsplan-status"
#: the statuses of the follow-up form, in report order
STATUSES = ("genomford", "paborjad", "ej-paborjad")


@dataclass
class Followed:
    """One activity as followed up: the plan's row (if any) and what its unit reported."""

    activity_id: int | None
    year: int
    unit_id: str
    title: str
    status: str
    comment: str = ""
    responsible: str = ""
    due: date | None = None
    carry: bool | None = None
    answers_kind: str = ""
    answers_ref: str = ""
    #: (year, status, comment) of the years before, oldest first
    history: list[tuple[int, str, str]] = field(default_factory=list)


def status_label(status: str, lang: str) -> str:
    """A status as the follow-up form words it ("Påbörjad" / "Started")."""
    column = next(c for c in get_form(FORM).question("aktiviteter").columns if c.id == "status")
    return column.choice_text(status, lang)


def _key(title: str) -> str:
    return re.sub(r"\s+", " ", title.strip().lower())


def _reported(session: Session, year: int) -> dict[tuple[str, str], dict]:
    """(unit, title key) → the answered row, from each unit's newest follow-up answer."""
    out: dict[tuple[str, str], dict] = {}
    for answer in answers_for(session, year, FORM):
        for row in answer.data.get("aktiviteter") or []:
            title = str(row.get("aktivitet") or "").strip()
            if title:
                out[(answer.scope_id, _key(title))] = row | {"aktivitet": title}
    return out


def follow_up(year: int, *, session: Session) -> list[Followed]:
    """Every activity of the year's plan with its reported status, then the units' additions."""
    reported = _reported(session, year)
    rows = session.exec(
        select(PlanActivity).where(PlanActivity.year == year).order_by(PlanActivity.id)
    ).all()
    out = []
    for row in rows:
        answer = reported.pop((row.unit_id, _key(row.title)), None)
        item = Followed(row.id, year, row.unit_id, row.title, row.status, row.comment,
                        row.responsible, row.due, None, row.answers_kind, row.answers_ref)
        if answer is not None:
            item.status = answer.get("status") or row.status
            item.comment = str(answer.get("kommentar") or "")
            item.carry = answer.get("flyttas")
        item.history = _history(row, session)
        out.append(item)
    for (unit, _k), answer in reported.items():
        out.append(Followed(None, year, unit, answer["aktivitet"], answer.get("status") or "",
                            str(answer.get("kommentar") or ""), carry=answer.get("flyttas")))
    return out


def _history(row: PlanActivity, session: Session) -> list[tuple[int, str, str]]:
    """The statuses the activity had in the years it was carried over from, oldest first."""
    out = []
    previous = session.get(PlanActivity, row.carried_from) if row.carried_from else None
    while previous is not None:
        answer = _reported(session, previous.year).get((previous.unit_id, _key(previous.title)))
        status = (answer or {}).get("status") or previous.status
        out.insert(0, (previous.year, status, str((answer or {}).get("kommentar") or "")))
        before = previous.carried_from
        previous = session.get(PlanActivity, before) if before else None
    return out


def prefill(assignment_id: int, lang: str, *, session: Session) -> tuple[dict, str] | None:
    """The follow-up form's starting values for a unit: its own activities of the year's plan.

    Returns (values, a note saying where they came from), or None when the assignment is not a
    unit's follow-up or the plan has no activity of the unit.
    """
    pair = session.exec(
        select(StepInstance.year, StepInstance.form, Assignment.scope_kind, Assignment.scope_id)
        .join(Assignment, Assignment.step_instance_id == StepInstance.id)
        .where(Assignment.id == assignment_id)
    ).first()
    if pair is None or pair[1] != FORM or pair[2] != "unit":
        return None
    year, unit = pair[0], pair[3]
    rows = session.exec(
        select(PlanActivity)
        .where(PlanActivity.year == year, PlanActivity.unit_id == unit)
        .order_by(PlanActivity.id)
    ).all()
    if not rows:
        return None
    values = {"aktiviteter": [{"aktivitet": r.title, "status": r.status} for r in rows]}
    carried = [r for r in rows if r.carried_from]
    note = gettext("Formuläret är förifyllt med förvaltningens {n} aktiviteter ur handlingsplanen "
                   "{year}.", lang, n=len(rows), year=year)
    if carried:
        note += " " + gettext("{n} av dem är överförda från tidigare år.", lang, n=len(carried))
    return values, note
