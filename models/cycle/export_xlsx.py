"""The responses export as a workbook people open in Excel: question texts as headers, answers as
their labels, local times and dates as real dates, a bold frozen header with a filter, and column
widths that fit.

CSV and JSON (models/cycle/export.py) keep the ids and stored values for machines; this module is
for people and speaks the organisation's language.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from models.cycle.answers import NOT_COLLECTED
from models.cycle.forms import Form
from models.i18n import N_, gettext

#: The export's fixed columns (record key, header), before the questions.
FIXED = (("year", N_("År")), ("step", N_("Steg")), ("scope_kind", N_("Typ")),
         ("scope", N_("Ansvarsområde")), ("version", N_("Version")),
         ("submitted_at", N_("Inlämnad")), ("submitted_by", N_("Inlämnad av")))
SCOPE_KINDS = {"board": N_("Nämnd"), "unit": N_("Förvaltning/enhet"),
               "organisation": N_("Hela organisationen")}
ROW = N_("Rad")
MAX_WIDTH, MIN_WIDTH = 60, 8
DATE_FORMAT, TIME_FORMAT = "yyyy-mm-dd", "yyyy-mm-dd hh:mm"


def answer_label(question, value: Any, lang: str) -> Any:
    """An answer as a person reads it: the choice's text, "Ja"/"Nej", a date, a number."""
    if value is None or value == "":
        return None
    if value == NOT_COLLECTED:
        return gettext("inte insamlad", lang)
    if question.type == "yesno":
        return gettext("Ja", lang) if value else gettext("Nej", lang)
    texts = {c.value: c.text.get(lang) for c in question.choices or []}
    if question.type == "multi" and isinstance(value, list):
        return "; ".join(texts.get(v, str(v)) for v in value)
    if question.type == "choice":
        return texts.get(value, value)
    if question.type == "date" and isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value


def table(records: list[dict], form: Form, lang: str, tz: str) -> tuple[list[str], list[list]]:
    """Header (texts) and lines (typed values) of the workbook: one line per table row."""
    plain = [q for q in form.questions if q.type != "table"]
    cells = [(q, c) for q in form.questions if q.type == "table" for c in q.columns or []]
    header = [gettext(text, lang) for _key, text in FIXED] + [q.text.get(lang) for q in plain]
    header += ([gettext(ROW, lang)] if cells else []) + [c.text.get(lang) for _q, c in cells]
    lines = []
    for rec in records:
        answers = rec["answers"]
        base = _fixed(rec, lang, ZoneInfo(tz)) + [answer_label(q, answers.get(q.id), lang)
                                                  for q in plain]
        count = max([len(answers.get(q.id) or []) for q, _c in cells] + [1])
        for index in range(count):
            row = [index + 1] if cells else []
            for q, c in cells:
                rows = answers.get(q.id) or []
                row.append(answer_label(c, rows[index].get(c.id), lang) if index < len(rows)
                           else None)
            lines.append(base + row)
    return header, lines


def _fixed(rec: dict, lang: str, tz: ZoneInfo) -> list:
    submitted = datetime.fromisoformat(rec["submitted_at"])
    if submitted.tzinfo is not None:  # local wall-clock time: Excel has no time zones
        submitted = submitted.astimezone(tz).replace(tzinfo=None)
    values = dict(rec, submitted_at=submitted,
                  scope_kind=gettext(SCOPE_KINDS.get(rec["scope_kind"], rec["scope_kind"]), lang))
    return [values[key] for key, _text in FIXED]


def workbook(header: list[str], lines: list[list], *, title: str, safe) -> bytes:
    """The .xlsx bytes: bold frozen header with an auto-filter, dates formatted, widths fitted."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(header)
    for line in lines:
        sheet.append([safe(v) for v in line])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for index, column in enumerate(sheet.iter_cols(min_row=2), start=1):
        for cell in column:
            if isinstance(cell.value, datetime):
                cell.number_format = TIME_FORMAT
            elif isinstance(cell.value, date):
                cell.number_format = DATE_FORMAT
        width = max([_width(c.value) for c in column] + [_width(header[index - 1]) // 2 + 2])
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width, MIN_WIDTH),
                                                                      MAX_WIDTH)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _width(value: Any) -> int:
    if isinstance(value, datetime):
        return 17
    if isinstance(value, date):
        return 11
    return len(str(value)) + 2 if value is not None else 0
