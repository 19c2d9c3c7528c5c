"""Validation of earlier years' figures, row by row, collecting every problem with its place.

Used by `models.report.figures_import` for both YAML and CSV files: each reader hands rows to `Builder`
with the place they came from (`file:line: field`), and nothing is written while problems remain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from models.i18n import _
from models.report.figures import (
    ACTION_STATUSES,
    EQUIPMENT,
    IT_SECURITY,
    NOT_COLLECTED,
    OTHER_AREAS,
    PERSONAL_DATA,
    TABLE_CATEGORIES,
    ActionFigure,
    IncidentFigure,
    MaturityFigure,
)

SECTIONS = (IT_SECURITY, EQUIPMENT, PERSONAL_DATA, NOT_COLLECTED, "infosakkollen", "handlingsplan")
_COUNT = re.compile(r"^\s*(ca\.?\s*)?(\d+)\s*$", re.IGNORECASE)
_BOARD = re.compile(r"^[a-z0-9-]+$")


@dataclass
class YearFigures:
    """The parsed figures of one year, ready to write."""

    year: int
    sections: set[str] = field(default_factory=set)
    incidents: list[IncidentFigure] = field(default_factory=list)
    maturity: list[MaturityFigure] = field(default_factory=list)
    actions: list[ActionFigure] = field(default_factory=list)


class Problems:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.lines.append(f"{where}: {message}")


def parse_count(value: object) -> tuple[int, bool]:
    """`13` → (13, False); `"Ca 650"` → (650, True). Raises ValueError otherwise."""
    if isinstance(value, bool):
        raise ValueError(_("ska vara ett antal, inte ja/nej"))
    if isinstance(value, int):
        if value < 0:
            raise ValueError(_("får inte vara negativt"))
        return value, False
    match = _COUNT.match(str(value))
    if not match:
        raise ValueError(
            _("'{value}' är inget antal (ett heltal, eller 'ca N' för en uppskattning)", value=value)
        )
    return int(match[2]), bool(match[1])


class Builder:
    """Collects figures of every year and the problems found on the way."""

    def __init__(self) -> None:
        self.years: dict[int, YearFigures] = {}
        self.problems = Problems()

    def year(self, year: int) -> YearFigures:
        return self.years.setdefault(year, YearFigures(year))

    def count(self, where, year, section, key, value, label=""):
        figures = self.year(year)
        figures.sections.add(section)
        if section in TABLE_CATEGORIES and key not in TABLE_CATEGORIES[section]:
            known = ", ".join(TABLE_CATEGORIES[section])
            return self.problems.add(
                where,
                _("okänd kategori '{key}' (en av {known})", key=key, known=known),
            )
        if section == PERSONAL_DATA and not _BOARD.match(str(key)):
            return self.problems.add(
                where,
                _("nämndens id '{key}' får bara innehålla a-z, 0-9 och -", key=key),
            )
        if value is None:  # explicit "not collected" for this row
            count, approx = None, False
        else:
            try:
                count, approx = parse_count(value)
            except ValueError as exc:
                return self.problems.add(where, str(exc))
        figures.incidents.append(
            IncidentFigure(
                year=year,
                table_id=section,
                category=str(key),
                label=label or "",
                count=count,
                approx=approx,
                position=len(figures.incidents),
            )
        )

    def not_collected(self, where, year, key):
        figures = self.year(year)
        figures.sections.add(NOT_COLLECTED)
        if key not in OTHER_AREAS:
            return self.problems.add(
                where,
                _("okänt område '{key}' (ett av {value})", key=key, value=', '.join(OTHER_AREAS)),
            )
        figures.incidents.append(
            IncidentFigure(
                year=year,
                table_id=NOT_COLLECTED,
                category=key,
                count=None,
                position=len(figures.incidents),
            )
        )

    def maturity(self, where, year, area, level):
        figures = self.year(year)
        figures.sections.add("infosakkollen")
        if not str(area or "").strip():
            return self.problems.add(where, _("area måste anges"))
        try:
            value = float(level)
        except (TypeError, ValueError):
            return self.problems.add(
                where, _("level '{level}' är inget tal", level=level)
            )
        if not 0 <= value <= 5:
            return self.problems.add(
                where, _("level {value:g} ligger utanför 0–5", value=value)
            )
        figures.maturity.append(
            MaturityFigure(
                year=year, area=str(area).strip(), level=value, position=len(figures.maturity)
            )
        )

    def action(self, where, year, activity, status, comment=""):
        figures = self.year(year)
        figures.sections.add("handlingsplan")
        if not str(activity or "").strip():
            return self.problems.add(where, _("activity måste anges"))
        if status not in ACTION_STATUSES:
            known = ", ".join(ACTION_STATUSES)
            return self.problems.add(
                where,
                _("okänd status '{status}' (en av {known})", status=status, known=known),
            )
        figures.actions.append(
            ActionFigure(
                year=year,
                activity=str(activity).strip(),
                status=status,
                comment=str(comment or ""),
                position=len(figures.actions),
            )
        )

    def check_duplicates(self, name: str) -> None:
        for figures in self.years.values():
            seen: set[tuple] = set()
            for row in figures.incidents:
                key = (row.table_id, row.category)
                if key in seen:
                    where = f"{figures.year} {row.table_id}: '{row.category}'"
                    self.problems.add(
                        name, _("{where} finns två gånger", where=where)
                    )
                seen.add(key)
            for rows, attr in ((figures.maturity, "area"), (figures.actions, "activity")):
                names = [getattr(r, attr) for r in rows]
                for dup in sorted({n for n in names if names.count(n) > 1}):
                    where = f"{figures.year}: {attr} '{dup}'"
                    self.problems.add(
                        name, _("{where} finns två gånger", where=where)
                    )
