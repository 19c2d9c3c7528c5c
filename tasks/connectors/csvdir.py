"""A CSV file as the directory, for organisations with neither Graph nor SCIM.

Header row required; columns (any order, UTF-8 or UTF-8 with BOM, `,` or `;` separated):
`id`, `name`, `email`, `department` required; `enabled`, `elected` (ja/nej, yes/no, true/false,
1/0) and `last_password_change` (ISO 8601, UTC when no offset) optional.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from models.campaigns.directory import DirectoryUser
from models.errors import InputError
from models.i18n import _
from models.input_files import read_input_file

REQUIRED = ("id", "name", "email", "department")
TRUE = {"ja", "yes", "true", "1", "j", "y"}
FALSE = {"nej", "no", "false", "0", "n", ""}


def _flag(value: str | None, default: bool, where: str, problems: list[str]) -> bool:
    text = (value or "").strip().casefold()
    if value is None:
        return default
    if text in TRUE:
        return True
    if text in FALSE:
        return default if text == "" else False
    problems.append(_("{where}: '{value}' ska vara ja eller nej", where=where, value=value))
    return default


def _when(value: str | None, where: str, problems: list[str]) -> datetime | None:
    if not value or not value.strip():
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        problems.append(_("{where}: '{value}' är ingen ISO 8601-tid", where=where, value=value))
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def read_users(path: Path, page_size: int = 1000) -> Iterator[list[DirectoryUser]]:
    """Read and validate the whole file, then yield its users in pages.

    Raises:
        InputError: one line per problem (`file:line: column: …`); nothing is yielded.
    """
    path = Path(path)
    text = read_input_file(path, encoding="utf-8-sig")
    dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else ",", delimiters=",;")
    reader = csv.DictReader(text.splitlines(), dialect=dialect)
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        names = ", ".join(missing)
        raise InputError(f"{path.name}:1: " + (
            _("kolumnen {names} saknas", names=names) if len(missing) == 1
            else _("kolumnerna {names} saknas", names=names)))
    users, problems, seen = [], [], set()
    for line, row in enumerate(reader, start=2):
        where = f"{path.name}:{line}"
        if not (row.get("id") or "").strip():
            problems.append(f"{where}: id: " + _("måste anges"))
            continue
        if row["id"] in seen:
            problems.append(f"{where}: id: " + _("'{value}' förekommer två gånger", value=row['id']))
        seen.add(row["id"])
        users.append(DirectoryUser(
            external_id=row["id"].strip(), name=(row.get("name") or row["id"]).strip(),
            email=(row.get("email") or "").strip() or None,
            department=(row.get("department") or "").strip() or None,
            enabled=_flag(row.get("enabled"), True, f"{where}: enabled", problems),
            elected=_flag(row.get("elected"), False, f"{where}: elected", problems),
            last_password_change=_when(row.get("last_password_change"),
                                       f"{where}: last_password_change", problems),
        ))
    if problems:
        raise InputError(problems)
    for start in range(0, len(users), page_size):
        yield users[start:start + page_size]
