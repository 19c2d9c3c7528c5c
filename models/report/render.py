"""Render a `Report` as Markdown, HTML (Jinja2 templates in templates/report/) or DOCX.

DOCX has real heading styles (Heading 1–3) so Word and LibreOffice show a document outline;
charts become native tables there (the SVG stays in the HTML).
"""

from __future__ import annotations

import io
import re
from dataclasses import fields, is_dataclass, replace
from functools import lru_cache

import markdown as md
from jinja2 import Environment, FileSystemLoader

from models.plaintext import printable
from models.report.content import Report, Section, Table
from models.settings import ROOT
from models.templating import AUTOESCAPE

TEMPLATES = ROOT / "templates" / "report"
FORMATS = ("md", "html", "docx")


def _mdcell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


@lru_cache
def _env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=AUTOESCAPE,  # report.md.j2 plain, report.html.j2 (and any other) escaped
        trim_blocks=False,
        keep_trailing_newline=True,
    )
    env.filters["mdcell"] = _mdcell
    env.filters["markdown"] = _markdown_html
    return env


def _markdown_html(text: str):
    from markupsafe import Markup

    # The coordinator's own file: raw HTML in it is escaped, Markdown is honoured.
    return Markup(md.markdown(text.replace("<", "&lt;"), extensions=["tables"]))


def render_markdown(report: Report) -> str:
    text = _env().get_template("report.md.j2").render(report=report)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def render_html(report: Report) -> str:
    return _env().get_template("report.html.j2").render(report=report)


def render_docx(report: Report) -> bytes:
    """A Word document with heading styles, native tables and the coordinator's prose."""
    from docx import Document
    from docx.shared import Pt

    report = _printable(report)  # Word's XML cannot hold control characters
    doc = Document()
    doc.core_properties.title = report.title
    doc.core_properties.language = report.lang
    doc.styles["Normal"].font.name = "DejaVu Sans"
    doc.styles["Normal"].font.size = Pt(10)
    doc.add_heading(report.title, level=0)
    if report.organisation:
        doc.add_paragraph(f"{report.organisation} · {report.generated}")
    for section in report.sections:
        _docx_section(doc, section, 1)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _printable(value):
    """`value` (the report or any part of it) with every string passed through `printable`."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, list | tuple):
        return type(value)(_printable(v) for v in value)
    if is_dataclass(value):
        changed = {f.name: _printable(getattr(value, f.name)) for f in fields(value) if f.init}
        return replace(value, **changed)
    return value


def _docx_section(doc, section: Section, level: int) -> None:
    doc.add_heading(section.title, level=min(level, 9))
    for item in section.items:
        if item.kind == "paragraph":
            doc.add_paragraph(item.text)
        elif item.kind == "not_collected":
            doc.add_paragraph().add_run(item.text).italic = True
        elif item.kind == "bullets":
            for text in item.items:
                doc.add_paragraph(text, style="List Bullet")
        elif item.kind == "prose":
            _docx_prose(doc, item.markdown, level)
        elif item.kind == "table":
            _docx_table(doc, item)
        elif item.kind == "chart":
            doc.add_paragraph().add_run(item.caption).bold = True
            _docx_table(doc, item.table)
    for sub in section.subsections:
        _docx_section(doc, sub, level + 1)


def _docx_table(doc, table: Table) -> None:
    grid = doc.add_table(rows=1, cols=len(table.headers))
    grid.style = "Table Grid"
    for cell, text in zip(grid.rows[0].cells, table.headers, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(str(text)).bold = True
    for row in table.rows:
        cells = grid.add_row().cells
        for index, (cell, text) in enumerate(zip(cells, row, strict=True)):
            cell.text = str(text)
            if index in table.numeric:
                cell.paragraphs[0].alignment = 2  # right
    doc.add_paragraph()


_INLINE = re.compile(r"(\*\*[^*]+\*\*|\*[^*]+\*)")


def _docx_prose(doc, text: str, level: int) -> None:
    """A small Markdown subset: paragraphs, `###` headings, `-`/`*` bullets, **bold**, *italic*."""
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = block.splitlines()
        if lines and lines[0].startswith("#"):
            doc.add_heading(lines[0].lstrip("#").strip(), level=min(level + 1, 9))
            lines = lines[1:]
        if lines and all(re.match(r"^\s*[-*]\s+", ln) for ln in lines):
            for ln in lines:
                _runs(doc.add_paragraph(style="List Bullet"), re.sub(r"^\s*[-*]\s+", "", ln))
        elif lines:
            _runs(doc.add_paragraph(), " ".join(ln.strip() for ln in lines))


def _runs(paragraph, text: str) -> None:
    for part in _INLINE.split(text):
        if part.startswith("**") and part.endswith("**") and len(part) > 4:
            paragraph.add_run(part[2:-2]).bold = True
        elif part.startswith("*") and part.endswith("*") and len(part) > 2:
            paragraph.add_run(part[1:-1]).italic = True
        elif part:
            paragraph.add_run(part)


def render(report: Report, fmt: str) -> bytes:
    """The report in `fmt` (md, html or docx) as bytes."""
    if fmt == "md":
        return render_markdown(report).encode("utf-8")
    if fmt == "html":
        return render_html(report).encode("utf-8")
    return render_docx(report)
