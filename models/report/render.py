"""Render a `Report` as Markdown, HTML (Jinja2 templates in templates/report/), DOCX or PDF.

DOCX (models/report/word.py) is written on a Word template with the charts as images; PDF is
that DOCX converted by LibreOffice (models/report/pdf.py).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import markdown as md
from jinja2 import Environment, FileSystemLoader, select_autoescape

from models.i18n import translator
from models.report.content import Report
from models.settings import ROOT

TEMPLATES = ROOT / "templates" / "report"
FORMATS = ("md", "html", "docx", "pdf")


def _mdcell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


@lru_cache
def _env(autoescape: bool) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(["html"]) if autoescape else False,
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
    text = _env(False).get_template("report.md.j2").render(report=report,
                                                           _=translator(report.lang))
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def render_html(report: Report) -> str:
    return _env(True).get_template("report.html.j2").render(report=report,
                                                             _=translator(report.lang))


def render(report: Report, fmt: str, *, template: Path | None = None) -> bytes:
    """The report in `fmt` (md, html, docx or pdf) as bytes; DOCX and PDF on `template`."""
    if fmt == "md":
        return render_markdown(report).encode("utf-8")
    if fmt == "html":
        return render_html(report).encode("utf-8")
    from models.report.word import render_docx

    document = render_docx(report, template=template)
    if fmt == "pdf":
        from models.report.pdf import docx_to_pdf

        return docx_to_pdf(document)
    return document
