"""What a questionnaire of the records starts with in the portal, when nothing is saved yet:
the unit's activities of the action plan (follow-up), the scope's current register (review), the
boards (the DPO's feedback) or the DPO's feedback to the board (the board's decision)."""

from __future__ import annotations

from sqlmodel import Session

from models.i18n import gettext
from models.records import feedback, followup, registers


def starting_values(assignment, form_id: str, lang: str, *,
                    session: Session) -> tuple[dict, str] | None:
    """(values, a note saying where they came from), or None when the records have nothing."""
    if form_id == followup.FORM:
        return followup.prefill(assignment.id, lang, session=session)
    if form_id in (feedback.FEEDBACK_FORM, feedback.DECISION_FORM):
        return feedback.prefill(assignment, form_id, lang, session=session)
    if registers.by_form(form_id) is None:
        return None
    values = registers.prefill(form_id, assignment.scope_id, session=session)
    if values is None:
        return None
    note = gettext("Formuläret börjar med registret som det ser ut nu ({n} rader): granska, ändra "
                   "och skicka in.", lang, n=len(values[registers.QUESTION]))
    return values, note
