"""The identity directory as campaigns see it: one typed shape for every connector, and the
department → unit map of the organisation file.

The organisation file's `departments:` mapping (stored in Organisation.department_map) names,
for each department as the directory spells it, the unit it belongs to; a value is either a
unit id or `{unit: ID, elected: true}` for the department that holds elected officials:

    departments:
      Socialförvaltningen: socialforvaltningen
      "Soc - Äldreomsorg": socialforvaltningen
      Förtroendevalda: {unit: kommunledningskontoret, elected: true}
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from pydantic import BaseModel


@dataclass(frozen=True, slots=True)
class DirectoryUser:
    """One account as a directory (Graph, SCIM, CSV) reports it.

    A plain dataclass, not a pydantic model: the connectors validate the wire format with
    their own pydantic models, and a sync builds 50,000 of these.
    """

    external_id: str
    name: str
    email: str | None = None
    department: str | None = None
    enabled: bool = True
    #: None when the directory does not know (SCIM, CSV without the column).
    last_password_change: datetime | None = None
    #: set by the CSV reader's `elected` column; otherwise from the department map.
    elected: bool = False


class UnitRef(BaseModel):
    """Where a department's people belong."""

    unit: str | None
    elected: bool = False


def normalise_department(name: str | None) -> str:
    """Departments match case-insensitively and ignoring surrounding/multiple spaces."""
    return " ".join((name or "").split()).casefold()


def department_index(department_map: dict) -> dict[str, UnitRef]:
    """Turn the stored `departments:` mapping into a lookup by normalised department name."""
    index: dict[str, UnitRef] = {}
    for department, value in (department_map or {}).items():
        if isinstance(value, dict):
            ref = UnitRef(unit=value.get("unit"), elected=bool(value.get("elected", False)))
        else:
            ref = UnitRef(unit=value)
        index[normalise_department(department)] = ref
    return index


def aware_utc(value: datetime | None) -> datetime | None:
    """The store keeps aware UTC times; a naive value from a directory is read as UTC."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
