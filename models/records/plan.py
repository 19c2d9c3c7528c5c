"""The action plan as an object: activities added, adopted as a version, carried into next year.

A year's plan is its `PlanActivity` rows. Adopting it (`adopt`) records the board's decision
("KS 2027-12-14 §220") with a snapshot of the activities as one more `PlanAdoption` version.
`draft_next` writes next year's draft: every activity of this year that the follow-up did not
report done (and the unit did not decline to carry over), linked to its predecessor so its history
follows it, plus the risk measures the units chose for the plan in this year's risk analysis.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from sqlalchemy import func
from sqlmodel import Session, select

from models.cycle.submitted import answers_for
from models.errors import InputError
from models.i18n import _
from models.org import Unit
from models.records.followup import STATUSES, follow_up
from models.records.tables import ANSWERS_KINDS, PlanActivity, PlanAdoption

_DECISION = re.compile(
    r"^(?P<body>\S.*?)\s+(?P<day>\d{4}-\d{2}-\d{2})\s+§\s*(?P<para>\d+[a-z]?)$"
)


def activities(year: int, *, session: Session) -> list[PlanActivity]:
    """The activities of a year's plan, by unit and title."""
    stmt = select(PlanActivity).where(PlanActivity.year == year)
    return list(session.exec(stmt.order_by(PlanActivity.unit_id, PlanActivity.id)).all())


def add_activity(
    year: int,
    title: str,
    *,
    session: Session,
    now: datetime,
    unit_id: str = "",
    responsible: str = "",
    due: date | None = None,
    answers: str = "",
    status: str = "ej-paborjad",
) -> PlanActivity:
    """Add one activity; bad input is refused with the field named (nothing is written)."""
    kind, _sep, ref = answers.partition(":")
    problems = _problems(title, unit_id, status, kind, ref, session)
    if problems:
        raise InputError(problems)
    row = PlanActivity(
        year=year, title=title.strip(), unit_id=unit_id, responsible=responsible.strip(), due=due,
        status=status, answers_kind=kind, answers_ref=ref.strip(), created_at=now,
    )
    if _existing(row, session) is not None:
        raise InputError("--title: " + _("'{title}' finns redan i {year} års plan", title=title,
                                         year=year))
    session.add(row)
    session.flush()
    return row


def _problems(title, unit_id, status, kind, ref, session) -> list[str]:
    problems = []
    if not title.strip() or len(title.strip()) > 300:
        problems.append("--title: " + _("ska vara 1–300 tecken"))
    if unit_id and session.get(Unit, unit_id) is None:
        problems.append("--unit: " + _("'{unit}' finns inte i organisationen", unit=unit_id))
    if status not in STATUSES:
        problems.append("--status: " + _("'{status}' ska vara en av {choices}", status=status,
                                         choices=", ".join(STATUSES)))
    if kind and (kind not in ANSWERS_KINDS or not ref.strip()):
        value = kind + ":" + ref
        problems.append("--answers: " + _("'{value}' ska skrivas TYP:VAD där TYP är en av {kinds}",
                                          value=value, kinds=", ".join(ANSWERS_KINDS)))
    return problems


def _existing(row: PlanActivity, session: Session) -> PlanActivity | None:
    return session.exec(
        select(PlanActivity).where(
            PlanActivity.year == row.year,
            PlanActivity.unit_id == row.unit_id,
            PlanActivity.title == row.title,
        )
    ).first()


def set_status(activity_id: int, status: str, comment: str | None, *,
               session: Session) -> PlanActivity:
    """The coordinator's status of an activity (those of the whole organisation, or a correction).

    A unit's answer in the follow-up form still wins for the unit's own activities.
    """
    row = session.get(PlanActivity, activity_id)
    problems = [] if row else ["ID: " + _("aktivitet {id} finns inte", id=activity_id)]
    if status not in STATUSES:
        problems.append("--status: " + _("'{status}' ska vara en av {choices}", status=status,
                                         choices=", ".join(STATUSES)))
    if problems:
        raise InputError(problems)
    row.status = status
    if comment is not None:
        row.comment = comment
    session.add(row)
    return row


def parse_decision(text: str) -> tuple[str, date, str]:
    """"KS 2027-12-14 §220" → ("KS", date(2027, 12, 14), "220"); bad text is an InputError."""
    match = _DECISION.match(text.strip())
    day = None
    if match:
        try:
            day = date.fromisoformat(match["day"])
        except ValueError:
            day = None
    if day is None:
        raise InputError("--decision: " + _(
            "'{text}' ska skrivas ORGAN ÅÅÅÅ-MM-DD §NR, till exempel KS 2027-12-14 §220",
            text=text))
    return match["body"], day, match["para"]


def adopt(year: int, decision: str, *, session: Session, now: datetime) -> PlanAdoption:
    """Record the board's decision on the year's plan as a new version with its activities."""
    body, day, paragraph = parse_decision(decision)
    rows = activities(year, session=session)
    if not rows:
        raise InputError("--year: " + _("{year} års plan har inga aktiviteter", year=year))
    version = session.exec(
        select(func.max(PlanAdoption.version)).where(PlanAdoption.year == year)
    ).one()
    adoption = PlanAdoption(
        year=year, version=(version or 0) + 1, decision=decision.strip(), body=body,
        decided_on=day, paragraph=paragraph, adopted_at=now,
        activities=[{"id": r.id, "title": r.title, "unit": r.unit_id} for r in rows],
    )
    session.add(adoption)
    session.flush()
    return adoption


def adoption(year: int, *, session: Session) -> PlanAdoption | None:
    """The newest adopted version of a year's plan, if any."""
    stmt = select(PlanAdoption).where(PlanAdoption.year == year)
    return session.exec(stmt.order_by(PlanAdoption.version.desc())).first()


def draft_next(year: int, *, session: Session, now: datetime) -> tuple[int, int]:
    """Write next year's draft from `year`: (activities carried over, risk measures taken in).

    Re-running adds nothing twice (an activity already in the draft is left as it is).
    """
    carried = 0
    for item in follow_up(year, session=session):
        if item.status == "genomford" or item.carry is False:
            continue
        row = PlanActivity(
            year=year + 1, title=item.title, unit_id=item.unit_id, responsible=item.responsible,
            due=_next_year(item.due), status=item.status, answers_kind=item.answers_kind,
            answers_ref=item.answers_ref, carried_from=item.activity_id, created_at=now,
        )
        carried += _add_once(row, session)
    return carried, _risk_measures(year, session, now)


def _next_year(day: date | None) -> date | None:
    if day is None:
        return None
    return day.replace(year=day.year + 1, day=28 if (day.month, day.day) == (2, 29) else day.day)


def _add_once(row: PlanActivity, session: Session) -> int:
    if _existing(row, session) is not None:
        return 0
    session.add(row)
    session.flush()
    return 1


def _risk_measures(year: int, session: Session, now: datetime) -> int:
    """Measures of `year`'s risk analyses the unit marked for the plan become next year's."""
    added = 0
    for answer in answers_for(session, year, "riskanalys"):
        for risk in answer.data.get("risker") or []:
            if not (isinstance(risk, dict) and risk.get("handlingsplan") and risk.get("atgard")):
                continue
            row = PlanActivity(
                year=year + 1, title=str(risk["atgard"]).strip()[:300], unit_id=answer.scope_id,
                responsible=str(risk.get("ansvarig") or ""), answers_kind="risk",
                answers_ref=f"{risk.get('tillgang', '')}: {risk.get('hot', '')}"[:300],
                created_at=now,
            )
            added += _add_once(row, session)
    return added
