"""The report as plain content: sections of paragraphs, tables, charts and prose.

Every output format (Markdown, HTML, DOCX) renders this one structure, so the numbers in all three
are the same by construction. Texts are already in the report language here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from models.i18n import gettext


@dataclass
class Paragraph:
    text: str
    kind: str = "paragraph"


@dataclass
class NotCollected:
    """A sentence saying that something was not collected (never an empty table)."""

    text: str
    kind: str = "not_collected"


@dataclass
class Bullets:
    items: list[str]
    kind: str = "bullets"


@dataclass
class Table:
    caption: str
    headers: list[str]
    rows: list[list[str]]
    #: right-align these columns (numbers)
    numeric: tuple[int, ...] = ()
    kind: str = "table"


@dataclass
class Chart:
    """An SVG chart; `table` carries the same numbers for formats without SVG."""

    caption: str
    svg: str
    table: Table
    kind: str = "chart"


@dataclass
class Prose:
    """The coordinator's own Markdown text for this section."""

    markdown: str
    kind: str = "prose"


@dataclass
class Section:
    id: str
    title: str
    items: list = field(default_factory=list)
    subsections: list[Section] = field(default_factory=list)


@dataclass
class Report:
    year: int
    lang: str
    title: str
    organisation: str
    generated: str
    sections: list[Section]
    #: the coordinator's findings to check (models.report.plausibility); never in the board's copy
    to_check: list[str] = field(default_factory=list)


def normalise(title: str) -> str:
    """Heading → comparable key: lower case, letters and digits only."""
    return re.sub(r"[^a-z0-9åäö]+", "", title.lower())


def fmt_count(count: int | None, approx: bool, lang: str) -> str:
    """13 → "13"; an estimate → "Ca 650" (as the reference report writes them)."""
    text = str(count)
    return gettext("Ca {count}", lang, count=text) if approx else text


def fmt_level(level: float | None) -> str:
    if level is None:
        return "–"
    return f"{level:g}".replace(".", ",")
