"""The coordinator's own text (`--text`): each `#`/`##` heading is matched to a report section.

Headings are matched in the order they are written, each to the first section after the previous
match whose title (in either language, with or without the year) or id it names; a text may also
go back to an earlier section. Text under a heading that names no section is an error naming the
heading and its line: it is never dropped. A matched section opens with the text, and sentences
that only said "no text was given" give way to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from models.errors import InputError
from models.i18n import gettext
from models.report.content import Prose, Report, Section, normalise

_HEADING = re.compile(r"^#{1,2}\s+(.+?)\s*#*\s*$")


@dataclass
class Block:
    """One heading of the coordinator's text and what is written under it."""

    line: int
    heading: str
    body: str


def split_blocks(text: str) -> list[Block]:
    """The text's `#`/`##` headings with their bodies (blank ones left out), in order."""
    blocks: list[Block] = []
    lines: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = _HEADING.match(line)
        if match:
            lines = []
            blocks.append(Block(number, match[1], ""))
        elif blocks:
            lines.append(line)
            blocks[-1].body = "\n".join(lines).strip()
    return [b for b in blocks if b.body]


def _walk(sections: list[Section]):
    for section in sections:
        yield section
        yield from _walk(section.subsections)


def _keys(section: Section, titles: dict[str, set[str]]) -> set[str]:
    names = {section.title} | titles.get(section.id, set())
    keys = {normalise(n) for n in names} | {normalise(section.id)}
    return keys | {re.sub(r"\d+", "", k) for k in keys}


def attach(report: Report, text: str, titles: dict[str, set[str]], placeholders: set[int]) -> None:
    """Put each block of `text` at the start of its section (see the module docstring).

    Args:
        titles: other names of a section by id (its title in the other language).
        placeholders: ids of the "no text was given" items, removed where text arrives.
    """
    order = list(_walk(report.sections))
    keys = [_keys(s, titles) for s in order]
    cursor, problems = 0, []
    for block in split_blocks(text):
        wanted = normalise(block.heading)
        found = next((i for i in range(cursor, len(order)) if wanted in keys[i]), None)
        if found is None:
            found = next((i for i in range(len(order)) if wanted in keys[i]), None)
        if found is None:
            problems.append("--text: " + gettext(
                "rad {line}: rubriken '{heading}' motsvarar inget avsnitt i rapporten; skriv "
                "texten under ett av rapportens avsnitt", report.lang, line=block.line,
                heading=block.heading))
            continue
        section, cursor = order[found], found + 1
        kept = [i for i in section.items if id(i) not in placeholders]
        lead = sum(1 for i in kept if isinstance(i, Prose))
        section.items = kept[:lead] + [Prose(block.body)] + kept[lead:]
    if problems:
        raise InputError(problems)
