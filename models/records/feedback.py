"""The DPO's feedback to each board after the compliance check, and each board's decision on it.

The DPO writes one row per board in the `dpo-aterkoppling` form, which starts with every board of
the organisation; a row names its board by name (or id). The board's data protection contact then
records the decision (meeting date, paragraph) in `namndbeslut-dataskydd`, whose form page shows
the DPO's feedback to that board.
"""

from __future__ import annotations

import re
from datetime import date

from sqlmodel import Session, select

from models.cycle.submitted import answers_for
from models.cycle.tables import Assignment, StepInstance
from models.i18n import gettext
from models.org import Board

FEEDBACK_FORM = "dpo-aterkoppling"
DECISION_FORM = "namndbeslut-dataskydd"


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9åäö]+", "", text.lower())


def feedback(year: int, *, session: Session) -> dict[str, dict]:
    """Board id → the DPO's row for it ({namnd, aterkoppling, atgarder}) of the year."""
    boards = {_key(b.name): b.id for b in session.exec(select(Board))}
    boards |= {_key(b): b for b in list(boards.values())}
    out: dict[str, dict] = {}
    for answer in answers_for(session, year, FEEDBACK_FORM):
        for row in answer.data.get("namnder") or []:
            board = boards.get(_key(str(row.get("namnd") or "")))
            if board:
                out[board] = row
    return out


def decisions(year: int, *, session: Session) -> dict[str, tuple[date, str, str]]:
    """Board id → (meeting date, paragraph, decision) recorded for the year's feedback."""
    out = {}
    for answer in answers_for(session, year, DECISION_FORM):
        day = answer.data.get("datum")
        if day:
            out[answer.scope_id] = (date.fromisoformat(day), str(answer.data.get("paragraf") or ""),
                                    str(answer.data.get("beslut") or ""))
    return out


def prefill(assignment, form_id: str, lang: str, *, session: Session) -> tuple[dict, str] | None:
    """The DPO's form starts with every board; the board's decision form shows the feedback."""
    if form_id == FEEDBACK_FORM:
        names = session.exec(select(Board.name).order_by(Board.name)).all()
        return {"namnder": [{"namnd": n} for n in names]}, gettext(
            "Formuläret börjar med organisationens {n} nämnder.", lang, n=len(names))
    if form_id != DECISION_FORM:
        return None
    year = session.exec(select(StepInstance.year).join(
        Assignment, Assignment.step_instance_id == StepInstance.id).where(
        Assignment.id == assignment.id)).first()
    row = feedback(year, session=session).get(assignment.scope_id) if year else None
    if row is None:
        return None
    note = gettext("Dataskyddsombudets återkoppling: {feedback}", lang,
                   feedback=row.get("aterkoppling") or "")
    if row.get("atgarder"):
        note += " " + gettext("Åtgärder: {measures}", lang, measures=row["atgarder"])
    return {}, note
