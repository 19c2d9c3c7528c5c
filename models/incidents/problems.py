"""Problems with a reported incident, as data: which field, which rule, which values.

The rules in `models.incidents.register` return `Problem`s; each front end words them for its reader. The
CLI prints `Problem.cli_text()` (Swedish, or English with ARSHJUL_LANGUAGE=en, naming its
options); the portal shows its own message in the organisation's language next to the field
(`portal.incidents.MESSAGES`), without any CLI option.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from models.errors import InputError
from models.i18n import N_, _

#: message key → the CLI's wording (English in the catalog; the fields are `Problem.params`).
CLI_TEXT: dict[str, str] = {
    "category_missing": N_("category: måste anges (en av {choices})"),
    "category_unknown": N_("category: okänd kategori '{value}' (en av {choices})"),
    "kind_not_used": N_("kind: '{category}' har inga typer (utelämna --kind)"),
    "kind_unknown": N_("kind: '{value}' ska vara en av {choices}"),
    "equipment_unknown": N_("equipment: '{value}' ska vara en av {choices}"),
    "unit_missing": N_("unit: måste anges (enhetens id, t.ex. --unit socialforvaltningen)"),
    "unit_unknown": N_("unit: okänd enhet '{value}' (se organisationsfilen)"),
    "board_unknown": N_("board: okänd nämnd '{value}'"),
    "aware_missing": N_("aware-at: måste anges (när fick ni kännedom, t.ex. 2027-06-25T16:00)"),
    "aware_future": N_("aware-at: {when} ligger i framtiden (nu är det {now})"),
    "time_invalid": N_("{option}: {reason}"),
    "time_out_of_range": N_("{option}: {reason}"),
    "by_unknown": N_("by: okänd person '{value}'"),
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an incident report.

    Attributes:
        field: the report's field: category, kind, equipment, unit, board, aware_at or by.
        key: the message key (see `CLI_TEXT`).
        params: values the message names (ids as typed, local times, the allowed ids).
    """

    field: str
    key: str
    params: dict[str, str] = field(default_factory=dict)

    def cli_text(self) -> str:
        """The problem as the CLI prints it after `fel: `, in the configured language."""
        return _(CLI_TEXT[self.key], **self.params)


class IncidentInputError(InputError):
    """Bad incident input: `problems` holds the CLI lines, `details` the structured problems."""

    def __init__(self, details: list[Problem]):
        self.details = list(details)
        super().__init__([p.cli_text() for p in self.details])
