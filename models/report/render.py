"""Render a `Report` as Markdown, HTML (Jinja2 templates in templates/report/), DOCX or PDF.

DOCX (models/report/word.py) is written on a Word template with the charts as images; PDF is
that DOCX converted by LibreOffice (models/report/pdf.py). Word's XML cannot hold control
characters, so DOCX and PDF get the report with every string made printable first.
"""

from __future__ import annotations

import re
from dataclasses import fields, is_dataclass, replace
from functools import lru_cache
from pathlib import Path

import markdown as md
from jinja2 import Environment, FileSystemLoader

from models.i18n import translator
from models.plaintext import printable
from models.report.content import Report
from models.settings import ROOT
from models.templating import AUTOESCAPE

TEMPLATES = ROOT / "templates" / "report"
FORMATS = ("md", "html", "docx", "pdf")


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
    env.filters["compounds"] = soft_hyphens
    return env


_LONG_WORD = re.compile(r"\w{14,}")


def soft_hyphens(text: str) -> str:
    """Soft hyphens in a long Swedish compound after its joining -s- ("Dataskydds\u00adorganisation",
    "Personuppgifts\u00adbiträdes\u00adavtal"): a narrow column breaks the header there, with a
    hyphen, instead of mid-syllable or not at all."""
    def split(match: re.Match) -> str:
        word, out, start = match.group(0), [], 0
        for index, char in enumerate(word):
            if char == "s" and index + 1 - start >= 6 and len(word) - index - 1 >= 6:
                out.append(word[start:index + 1])
                start = index + 1
        return "\u00ad".join(out + [word[start:]])

    return _LONG_WORD.sub(split, text)


def _markdown_html(text: str):
    from markupsafe import Markup

    # The coordinator's own file: raw HTML in it is escaped, Markdown is honoured.
    return Markup(md.markdown(text.replace("<", "&lt;"), extensions=["tables"]))


def render_markdown(report: Report) -> str:
    text = _env().get_template("report.md.j2").render(report=report, _=translator(report.lang))
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def render_html(report: Report) -> str:
    return _env().get_template("report.html.j2").render(report=report, _=translator(report.lang))


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


def render(report: Report, fmt: str, *, template: Path | None = None) -> bytes:
    """The report in `fmt` (md, html, docx or pdf) as bytes; DOCX and PDF on `template`."""
    if fmt == "md":
        return render_markdown(report).encode("utf-8")
    if fmt == "html":
        return render_html(report).encode("utf-8")
    from models.report.word import render_docx

    document = render_docx(_printable(report), template=template)
    if fmt == "pdf":
        from models.report.pdf import docx_to_pdf

        return docx_to_pdf(document)
    return document
