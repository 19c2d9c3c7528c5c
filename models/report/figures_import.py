"""`arshjul figures import FILE`: earlier years' figures from YAML or CSV, all or nothing.

YAML (one block per year; every section optional):

    years:
      - year: 2022
        it-sakerhet: {ddos_skydd_aktiverat: 13, natfiske_forsok: "ca 650", ...}
        utrustning: {utrustning_chromebook: 43, ...}
        personuppgiftsincidenter:
          - {board: socialnamnden, name: Socialnämnden, count: 4}
        ej-insamlat: [inbrott_skadegorelse, personell_incidenter]
        infosakkollen: [{area: Ledningens engagemang, level: 2}]
        handlingsplan: [{activity: Införa tvåfaktorsautentisering, status: paborjad, comment: …}]

CSV (header `year,section,key,value,note`): one row per figure; `section` is one of the keys
above, `key` the category / board / area / activity (ids as in `models.report.figures`), `value` the
count ("ca 650" for an estimate), level or status, `note` the board name or the activity comment.

A year's sections in the file replace that year's sections in the store; nothing is written
unless the whole file is valid.
"""

from __future__ import annotations

import csv
from pathlib import Path

from sqlmodel import Session, delete

from models import yamlfile
from models.clock import now
from models.errors import InputError
from models.i18n import _
from models.input_files import read_input_file
from models.report.figures import (
    EQUIPMENT,
    IT_SECURITY,
    NOT_COLLECTED,
    PERSONAL_DATA,
    ActionFigure,
    IncidentFigure,
    MaturityFigure,
)
from models.report.figures_build import SECTIONS, Builder, YearFigures, parse_count

__all__ = ["import_figures", "parse_count", "read_figures", "YearFigures"]


def read_figures(path: Path | str) -> list[YearFigures]:
    """Parse and validate a figures file (YAML or CSV); raise InputError listing every problem."""
    path = Path(path)
    builder = Builder()
    if path.suffix.lower() == ".csv":
        _read_csv(path, builder)
    else:
        _read_yaml(path, builder)
    builder.check_duplicates(path.name)
    if builder.problems.lines:
        raise InputError(builder.problems.lines)
    return sorted(builder.years.values(), key=lambda y: y.year)


def _read_yaml(path: Path, builder: Builder) -> None:
    located = yamlfile.load(path)
    data = located.data
    if not isinstance(data, dict) or not isinstance(data.get("years"), list):
        raise InputError(
            f"{path.name}:1: years: "
            + _("här ska en lista med år stå (years: - year: 2022 …)")
        )
    for index, block in enumerate(data["years"]):
        loc = ("years", index)
        if not isinstance(block, dict) or not isinstance(block.get("year"), int):
            builder.problems.add(
                located.problem((*loc, "year"), "").rstrip(": "),
                _("ett årtal måste anges (heltal)"),
            )
            continue
        for key in block:
            if key != "year" and key not in SECTIONS:
                builder.problems.add(
                    located.problem((*loc, key), "").rstrip(": "),
                    _("okänt avsnitt (ett av {value})", value=', '.join(SECTIONS)),
                )
        _yaml_year(located, loc, block, builder)


def _where(located, loc) -> str:
    return located.problem(loc, "").rstrip(": ")


def _yaml_year(located, loc, block, builder: Builder) -> None:
    year = block["year"]
    for section in (IT_SECURITY, EQUIPMENT):
        rows = block.get(section)
        if rows is None:
            continue
        if not isinstance(rows, dict):
            builder.problems.add(
                _where(located, (*loc, section)),
                _("här ska par av kategori: antal stå"),
            )
            continue
        for key, value in rows.items():
            builder.count(_where(located, (*loc, section, key)), year, section, key, value)
    for index, row in enumerate(block.get(PERSONAL_DATA) or []):
        where = _where(located, (*loc, PERSONAL_DATA, index))
        if not isinstance(row, dict) or "board" not in row or "count" not in row:
            builder.problems.add(
                where,
                _("här ska {board: id, name: Namn, count: N} stå"),
            )
            continue
        builder.count(
            where,
            year,
            PERSONAL_DATA,
            row["board"],
            row["count"],
            label=str(row.get("name") or row["board"]),
        )
    for index, key in enumerate(block.get(NOT_COLLECTED) or []):
        builder.not_collected(_where(located, (*loc, NOT_COLLECTED, index)), year, key)
    for index, row in enumerate(block.get("infosakkollen") or []):
        row = row if isinstance(row, dict) else {}
        builder.maturity(
            _where(located, (*loc, "infosakkollen", index)), year, row.get("area"), row.get("level")
        )
    for index, row in enumerate(block.get("handlingsplan") or []):
        row = row if isinstance(row, dict) else {}
        builder.action(
            _where(located, (*loc, "handlingsplan", index)),
            year,
            row.get("activity"),
            row.get("status"),
            row.get("comment", ""),
        )


_CSV_COLUMNS = ("year", "section", "key", "value", "note")


def _read_csv(path: Path, builder: Builder) -> None:
    text = read_input_file(path, encoding="utf-8-sig")
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in _CSV_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        columns = ", ".join(missing)
        raise InputError(
            f"{path.name}:1: header: "
            + _("kolumner saknas: {columns}", columns=columns)
        )
    for line, row in enumerate(reader, start=2):
        _csv_row(path.name, line, row, builder)


def _csv_row(name: str, line: int, row: dict, builder: Builder) -> None:
    at = f"{name}:{line}"
    try:
        year = int(row["year"])
    except (TypeError, ValueError):
        return builder.problems.add(
            f"{at}: year", _("'{value}' är inget årtal", value=row['year'])
        )
    section, key = (row["section"] or "").strip(), (row["key"] or "").strip()
    value, note = (row["value"] or "").strip(), (row["note"] or "").strip()
    if section not in SECTIONS:
        return builder.problems.add(
            f"{at}: section",
            _("okänt avsnitt '{section}' (ett av {value})", section=section, value=', '.join(SECTIONS)),
        )
    if section in (IT_SECURITY, EQUIPMENT, PERSONAL_DATA):
        builder.count(
            f"{at}: value" if key else f"{at}: key",
            year,
            section,
            key,
            None if value == "" else value,
            label=note,
        )
    elif section == NOT_COLLECTED:
        builder.not_collected(f"{at}: key", year, key)
    elif section == "infosakkollen":
        builder.maturity(f"{at}: value", year, key, value)
    else:
        builder.action(f"{at}: value", year, key, value, note)


def import_figures(
    path: Path | str, *, session: Session, dry_run: bool = False
) -> list[YearFigures]:
    """Validate `path` and write its figures, replacing each year's sections it names."""
    years = read_figures(path)
    if dry_run:
        return years
    stamp = now()
    for figures in years:
        _replace_year(figures, session, stamp)
    session.flush()
    return years


def _replace_year(figures: YearFigures, session: Session, stamp) -> None:
    tables = [
        s for s in figures.sections if s in (IT_SECURITY, EQUIPMENT, PERSONAL_DATA, NOT_COLLECTED)
    ]
    if tables:
        session.exec(
            delete(IncidentFigure).where(
                IncidentFigure.year == figures.year, IncidentFigure.table_id.in_(tables)
            )
        )
    if "infosakkollen" in figures.sections:
        session.exec(delete(MaturityFigure).where(MaturityFigure.year == figures.year))
    if "handlingsplan" in figures.sections:
        session.exec(delete(ActionFigure).where(ActionFigure.year == figures.year))
    session.flush()
    for row in [*figures.incidents, *figures.maturity, *figures.actions]:
        row.imported_at = stamp
        session.add(row)
