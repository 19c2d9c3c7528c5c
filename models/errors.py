"""The exceptions of arshjul. Each message says what is wrong, where, and what to do."""

from __future__ import annotations


def tr(sv: str, en: str) -> str:
    """A command-line text in the configured language: Swedish (`sv`) unless ARSHJUL_LANGUAGE=en.

    Errors are written at the raise site in both languages, `tr(f"{path}: filen finns inte",
    f"{path}: no such file")`, so each stays next to the code that knows what went wrong.
    Messages, the portal and the report follow the organisation's language instead.
    """
    from models.settings import get_settings  # settings import nothing from here

    try:
        return en if get_settings().language == "en" else sv
    except ValueError:  # the settings themselves are invalid: that error is reported elsewhere
        return sv


class ArshjulError(Exception):
    """Base of every error arshjul raises on purpose."""


class InputError(ArshjulError):
    """Bad input from a file or the command line: the CLI prints each problem and exits 2.

    Args:
        problems: one line per problem, each naming file, line and field where known.
    """

    def __init__(self, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


class NotFoundError(InputError):
    """A referenced id does not exist in the store."""


class DeliveryError(ArshjulError):
    """A message could not be handed to its channel; the ledger keeps it for a later tick."""
