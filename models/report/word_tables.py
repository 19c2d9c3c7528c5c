"""Tables of the Word report: widths by content (never a word broken mid-word), a smaller font
and then a landscape page for a table too wide for the page, the header row repeated."""

from __future__ import annotations

from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from models.report.content import Table

#: a bold character's width in em, generous: a server converting to PDF may only have DejaVu Sans
CHAR_EM = 0.7
#: a table cell's left and right margins together (Word's default 0.19 cm each, and some air)
CELL_PADDING = int(Cm(0.45))
#: fonts for a table too wide for the page at the normal size (from the second on landscape)
SMALL_FONTS = (Pt(8), Pt(8), Pt(7), Pt(6.5), Pt(6))


def has_style(doc, name: str) -> bool:
    """Whether the document (its template) defines the style `name`."""
    return any(s.name == name for s in doc.styles)


def column_widths(table_: Table, usable: int, char: int) -> tuple[list[int], bool]:
    """Column widths (EMU) that add up to `usable`: each at least its longest word (never broken
    mid-word), the room left shared by how long the column's texts typically are (40 at most).
    `char` is the width of an average character. The flag says whether every word fits."""
    least, wish = [], []
    for index, head in enumerate(table_.headers):
        texts = [str(head)] + [str(row[index]) for row in table_.rows]
        longest_word = max(len(w) for t in texts for w in (t.split() or [""]))
        typical = max((len(t) for t in texts[1:]), default=len(str(head)))
        least.append((max(longest_word, 3) + 1) * char + CELL_PADDING)
        wish.append(max(min(typical, 40) + 1, longest_word + 1) * char + CELL_PADDING)
    if sum(least) >= usable:  # too many columns for the page: shrink all alike
        return [int(usable * w / sum(least)) for w in least], False
    spare, extra = usable - sum(least), [w - m for w, m in zip(wish, least, strict=True)]
    if not sum(extra):
        return [int(m + spare / len(least)) for m in least], True
    return [int(m + spare * e / sum(extra)) for m, e in zip(least, extra, strict=True)], True


def table(doc, table_: Table) -> None:
    """A native table, header row bold and repeated on every page, widths by content. A table
    too wide for the page gets a smaller font, then a landscape page of its own, then smaller."""
    normal = doc.styles["Normal"].font.size or Pt(11)
    small, widths, fits = None, *column_widths(table_, _usable(doc), int(normal * CHAR_EM))
    turned = False
    for size in SMALL_FONTS:
        if fits:
            break
        if size == SMALL_FONTS[1] and not turned:
            _orient(doc, landscape=True)
            turned = True
        small, (widths, fits) = size, column_widths(table_, _usable(doc), int(size * CHAR_EM))
    grid = doc.add_table(rows=1, cols=len(table_.headers))
    grid.style = "Table Grid" if has_style(doc, "Table Grid") else None
    grid.autofit = False
    _fill(grid, table_, small)
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width
    if turned:
        _orient(doc, landscape=False)
    else:
        doc.add_paragraph()


def _fill(grid, table_: Table, size) -> None:
    for cell, text in zip(grid.rows[0].cells, table_.headers, strict=True):
        run = cell.paragraphs[0].add_run(str(text))  # a new cell holds one empty paragraph
        run.bold, run.font.size = True, size
    _repeat_header(grid.rows[0])
    for row in table_.rows:
        for index, (cell, text) in enumerate(zip(grid.add_row().cells, row, strict=True)):
            cell.paragraphs[0].add_run(str(text)).font.size = size
            if index in table_.numeric:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _usable(doc) -> int:
    section = doc.sections[-1]
    return section.page_width - section.left_margin - section.right_margin


def _orient(doc, *, landscape: bool) -> None:
    """A new section on a new page, turned to landscape or back (footers continue)."""
    previous = doc.sections[-1]
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    long_side = max(previous.page_width, previous.page_height)
    short_side = min(previous.page_width, previous.page_height)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width = long_side if landscape else short_side
    section.page_height = short_side if landscape else long_side


def _repeat_header(row) -> None:
    props = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    props.append(header)
