"""`arshjul responses export`: the latest submitted answers of a step as CSV, XLSX or JSON.

CSV and JSON keep ids and stored values (for machines); XLSX is for people
(models/cycle/export_xlsx.py: question texts, answer labels, local times, filter and widths).

One record per assignment (board, unit or the organisation) that has submitted, for every dated
occurrence of the step in the year (quarterly steps have four). In CSV and XLSX a form with a
table question gets one line per table row (`rad` numbers them), the other answers repeated;
table cells are columns named `<question>.<column>`. JSON keeps the answers as stored.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from sqlmodel import Session, func, select

from models import db, organisation
from models.cycle import export_xlsx
from models.cycle.answers import NOT_COLLECTED
from models.cycle.forms import Form, get_form
from models.cycle.responses import latest_versions
from models.cycle.tables import Assignment, StepInstance
from models.errors import InputError
from models.i18n import _
from models.organisation import scope_name
from models.plaintext import printable

FORMATS = ("csv", "xlsx", "json")
FIXED = [
    "year",
    "step",
    "scope_kind",
    "scope_id",
    "scope",
    "version",
    "submitted_at",
    "submitted_by",
]


def export_responses(step: str, *, year: int | None, fmt: str, to_file: bool) -> str | bytes:
    """The export of `step` in `year` (default: the latest year that has the step)."""
    if fmt not in FORMATS:
        choices = ", ".join(FORMATS)
        raise InputError(
            "--format: "
            + _("'{fmt}' ska vara en av {choices}", fmt=fmt, choices=choices)
        )
    if fmt == "xlsx" and not to_file:
        raise InputError(
            _("--format xlsx behöver --output FIL")
        )
    with db.session() as s:
        records, form = collect(step, year=year, session=s)
        org = organisation.info(session=s)
    if fmt == "json":
        return json.dumps(records, ensure_ascii=False, indent=2, default=str) + "\n"
    if fmt == "xlsx":
        header, rows = export_xlsx.table(records, form, org.language, org.timezone)
        return export_xlsx.workbook(header, rows, title=form.title.get(org.language), safe=spreadsheet_safe)
    return csv_text(*flatten(records, form))


def collect(step: str, *, year: int | None, session: Session) -> tuple[list[dict], Form]:
    """The submitted records of a step and its form."""
    instances = _instances(step, year, session)
    form = get_form(instances[0].form)
    by_step = {i.id: i for i in instances}
    stmt = (
        select(Assignment)
        .where(Assignment.step_instance_id.in_(list(by_step)))
        .order_by(Assignment.id)
    )
    assignments = list(session.exec(stmt))
    versions = latest_versions([a.id for a in assignments], session=session)
    return [
        _record(a, by_step[a.step_instance_id], versions[a.id], session)
        for a in assignments
        if a.id in versions
    ], form


def _instances(step: str, year: int | None, session: Session) -> list[StepInstance]:
    if year is None:
        newest = select(func.max(StepInstance.year)).where(StepInstance.step_id == step)
        year = session.exec(newest).one()
    stmt = (
        select(StepInstance)
        .where(StepInstance.step_id == step, StepInstance.year == year)
        .order_by(StepInstance.opens)
    )
    instances = list(session.exec(stmt))
    if not instances:
        missing = (
            _("inget steg '{step}' år {year} (se `arshjul status`)", step=step, year=year)
            if year else _("inget steg '{step}' (se `arshjul status`)", step=step)
        )
        raise InputError("--step: " + missing)
    if not instances[0].form:
        kind = instances[0].kind
        raise InputError(
            "--step: "
            + _("'{step}' har inget frågeformulär (typ {kind})", step=step, kind=kind)
        )
    return instances


def _record(a: Assignment, inst: StepInstance, v, session: Session) -> dict:
    return {
        "year": inst.year,
        "step": inst.key,
        "scope_kind": a.scope_kind,
        "scope_id": a.scope_id,
        "scope": scope_name(a.scope_kind, a.scope_id, "sv", session=session),
        "version": v.version,
        "submitted_at": v.submitted_at.isoformat(),
        "submitted_by": v.submitted_by,
        "answers": v.values,
    }


def flatten(records: list[dict], form: Form) -> tuple[list[str], list[list[Any]]]:
    """Header and lines for CSV/XLSX (one line per table row)."""
    plain = [q for q in form.questions if q.type != "table"]
    tables = [q for q in form.questions if q.type == "table"]
    cells = [(q.id, c.id) for q in tables for c in q.columns or []]
    header = (
        FIXED + [q.id for q in plain] + (["rad"] if tables else []) + [f"{q}.{c}" for q, c in cells]
    )
    lines = []
    for rec in records:
        answers = rec["answers"]
        base = [rec[k] for k in FIXED] + [_cell(answers.get(q.id)) for q in plain]
        count = max([len(answers.get(q.id) or []) for q in tables] + [1])
        for index in range(count):
            row = [index + 1] if tables else []
            for qid, col in cells:
                table_rows = answers.get(qid) or []
                row.append(_cell(table_rows[index].get(col)) if index < len(table_rows) else "")
            lines.append(base + row)
    return header, lines


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if value == NOT_COLLECTED:
        return "inte insamlad"
    return value


def csv_text(header: list[str], rows: list[list[Any]]) -> str:
    """Rows as CSV text, typed-in formulas neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([spreadsheet_safe(v) for v in row])
    return buffer.getvalue()


def spreadsheet_safe(value: Any) -> Any:
    """Neutralise spreadsheet formulas in typed-in text (CSV injection); no control characters
    (answers stored before they were removed on the way in)."""
    if isinstance(value, str):
        value = printable(value)
        if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
            return "'" + value
    return value


def xlsx_bytes(header: list[str], rows: list[list[Any]], *, title: str) -> bytes:
    """Rows as an Excel workbook for people (bold frozen header, filter, widths)."""
    return export_xlsx.workbook(header, rows, title=title, safe=spreadsheet_safe)
