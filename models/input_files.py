"""Reading a file the coordinator named: a missing or unreadable one is one clear error line."""

from __future__ import annotations

from pathlib import Path

from models.errors import InputError
from models.i18n import _


def read_input_file(path: Path, encoding: str = "utf-8") -> str:
    """The text of `path`; InputError ("<path>: filen finns inte", …) when it cannot be read.

    Use `utf-8-sig` for CSV: spreadsheet programs put a byte-order mark first.
    """
    try:
        return Path(path).read_text(encoding=encoding)
    except FileNotFoundError as exc:
        raise InputError(_("{path}: filen finns inte", path=path)) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(
            _("{path}: kan inte läsas: {exc}", path=path, exc=exc)
        ) from exc
