"""The exceptions of arshjul. Each message says what is wrong, where, and what to do."""

from __future__ import annotations


class ArshjulError(Exception):
    """Base of every error arshjul raises on purpose."""


class InputError(ArshjulError):
    """Bad input from a file or the command line: the CLI prints each problem and exits 2.

    Args:
        problems: one line per problem, each naming file, line and field where known.
    """

    def __init__(self, problems: list[str] | str):
        problems = [problems] if isinstance(problems, str) else list(problems)
        self.problems = [one_line(problem) for problem in problems]
        super().__init__("\n".join(self.problems))


def one_line(text: str) -> str:
    """`text` as one printable line: a value quoted in a problem may hold a line break or a
    control character (`"\\x1e"` in YAML), which is shown escaped instead of splitting the line."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


class NotFoundError(InputError):
    """A referenced id does not exist in the store."""


class DeliveryError(ArshjulError):
    """A message could not be handed to its channel; the ledger keeps it for a later tick."""
