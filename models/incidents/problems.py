"""Problems with a reported incident, as data: which field, which rule, which values.

The rules in `models.incidents.register` return `Problem`s; each front end words them for its reader. The
CLI prints `Problem.cli_text()` (Swedish, or English with ARSHJUL_LANGUAGE=en, naming its
options); the portal shows its own message in the organisation's language next to the field
(`portal.incidents.MESSAGES`), without any CLI option.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from models.errors import InputError, tr

#: message key → the CLI's wording, Swedish and English (the fields are `Problem.params`).
CLI_TEXT: dict[str, tuple[str, str]] = {
    "category_missing": (
        "category: måste anges (en av {choices})",
        "category: missing (one of {choices})",
    ),
    "category_unknown": (
        "category: okänd kategori '{value}' (en av {choices})",
        "category: unknown '{value}' (one of {choices})",
    ),
    "kind_not_used": (
        "kind: '{category}' har inga typer (utelämna --kind)",
        "kind: '{category}' has no sub-kinds",
    ),
    "kind_unknown": (
        "kind: '{value}' ska vara en av {choices}",
        "kind: '{value}' is not one of {choices}",
    ),
    "equipment_unknown": (
        "equipment: '{value}' ska vara en av {choices}",
        "equipment: '{value}' is not one of {choices}",
    ),
    "unit_missing": (
        "unit: måste anges (enhetens id, t.ex. --unit socialforvaltningen)",
        "unit: missing (give the unit id, e.g. --unit socialforvaltningen)",
    ),
    "unit_unknown": (
        "unit: okänd enhet '{value}' (se organisationsfilen)",
        "unit: unknown unit '{value}' (see the organisation file)",
    ),
    "board_unknown": ("board: okänd nämnd '{value}'", "board: unknown board '{value}'"),
    "aware_missing": (
        "aware-at: måste anges (när fick ni kännedom, t.ex. 2027-06-25T16:00)",
        "aware-at: missing (when did you become aware, e.g. 2027-06-25T16:00)",
    ),
    "aware_future": (
        "aware-at: {when} ligger i framtiden (nu är det {now})",
        "aware-at: {when} is in the future (now it is {now})",
    ),
    "time_invalid": ("{option}: {reason}", "{option}: {reason}"),
    "time_out_of_range": ("{option}: {reason}", "{option}: {reason}"),
    "by_unknown": ("by: okänd person '{value}'", "by: unknown person '{value}'"),
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
        return tr(*CLI_TEXT[self.key]).format(**self.params)


class IncidentInputError(InputError):
    """Bad incident input: `problems` holds the CLI lines, `details` the structured problems."""

    def __init__(self, details: list[Problem]):
        self.details = list(details)
        super().__init__([p.cli_text() for p in self.details])
