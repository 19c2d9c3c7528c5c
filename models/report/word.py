"""The report as a Word document the board can receive as it is, on the municipality's template.

`render_docx(report, template=…)` opens the template (`--template mall.docx`, or python-docx's
default styled here), empties its body but keeps its styles, headers and footers, and writes:
a title page, a table of contents field (Word fills it on opening; LibreOffice when it converts to
PDF), the sections with the real heading styles (Heading 1–3, so Word shows an outline), the
charts and the wheel as images rendered from the very SVG the HTML report shows (cairosvg),
tables whose column widths follow their content (no word broken mid-word), page numbers in the
footer, the report's language (sv-SE / en-GB) on every style so proofing speaks Swedish, and
document properties (title, the organisation as author, today's date).
"""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from models.errors import InputError
from models.i18n import N_, _, format_date, gettext
from models.report.content import Report, Section
from models.report.word_tables import has_style, table

LOCALES = {"sv": "sv-SE", "en": "en-GB"}
#: widest text width of a chart or the wheel on the page
IMAGE_WIDTH = Cm(16)
#: pixels per centimetre the SVG is rasterised at (print quality without huge files)
PIXELS_PER_CM = 90
FIELD_HINT = N_("Högerklicka och välj Uppdatera fält för att visa innehållsförteckningen.")


def open_template(template: Path | None):
    """The template document (its styles, headers and footers), or python-docx's default."""
    if template is None:
        doc = Document()
        doc.styles["Normal"].font.name = "Liberation Sans"
        doc.styles["Normal"].font.size = Pt(10.5)
        return doc
    try:
        doc = Document(str(template))
    except Exception as exc:  # python-docx raises several kinds for a file that is not a .docx
        raise InputError(
            "--template: " + _("{path} är inte ett Word-dokument (.docx)", path=template)
        ) from exc
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):  # keep the page setup, headers and footers
            body.remove(child)
    return doc


def render_docx(report: Report, *, template: Path | None = None,
                now: datetime | None = None) -> bytes:
    """The report as .docx bytes on `template`."""
    doc = open_template(template)
    set_language(doc, LOCALES.get(report.lang, "sv-SE"))
    set_properties(doc, report, now or datetime.now(UTC))
    title_page(doc, report)
    contents(doc, report)
    for section in report.sections:
        _section(doc, section, 1)
    page_numbers(doc)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def set_language(doc, locale: str) -> None:
    """`locale` as the proofing language of the document defaults and of every style."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    targets = [s.element.get_or_add_rPr() for s in doc.styles if s.type != 4]  # 4: numbering
    if defaults is not None:
        rpr_default = defaults.find(qn("w:rPrDefault"))
        if rpr_default is not None and rpr_default.find(qn("w:rPr")) is not None:
            targets.append(rpr_default.find(qn("w:rPr")))
    for rpr in targets:
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            rpr.append(lang)
        for attr in ("w:val", "w:eastAsia", "w:bidi"):
            lang.set(qn(attr), locale)


def set_properties(doc, report: Report, now: datetime) -> None:
    """Title, the organisation as author, today's date, the language."""
    props = doc.core_properties
    props.title = f"{report.title} {report.year}" if str(report.year) not in report.title \
        else report.title
    props.author = props.last_modified_by = report.organisation or "arshjul"
    props.subject = report.title
    props.language = LOCALES.get(report.lang, "sv-SE")
    props.keywords = gettext("informationssäkerhet; dataskydd; årsrapport", report.lang)
    props.comments = ""
    props.created = props.modified = now.astimezone(UTC).replace(microsecond=0, tzinfo=None)
    printed = props._element.find(qn("cp:lastPrinted"))  # the template's, not ours
    if printed is not None:
        props._element.remove(printed)
    props.revision = 1


def title_page(doc, report: Report) -> None:
    """The report's title, the organisation and the date, then a page break."""
    for _index in range(6):
        doc.add_paragraph()
    doc.add_paragraph(report.title, style="Title")
    if report.organisation:
        doc.add_paragraph(report.organisation, style="Subtitle")
    day = format_date(date.fromisoformat(report.generated), report.lang)
    doc.add_paragraph(gettext("Upprättad {day}", report.lang, day=day))
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def contents(doc, report: Report) -> None:
    """A table-of-contents field (headings 1–3, hyperlinked) on a page of its own. Its shown
    result lists the headings already (without page numbers): a reader who never updates fields
    still sees the contents; Word fills in the page numbers when it opens the document."""
    lang = report.lang
    heading = gettext("Innehåll", lang)
    style = "TOC Heading" if has_style(doc, "TOC Heading") else None
    paragraph = doc.add_paragraph(heading, style=style)
    if style is None:
        paragraph.runs[0].bold = True
        paragraph.runs[0].font.size = Pt(16)
    entries = [(level, title) for level, title in _headings(report.sections, 1) if level <= 2]
    paragraphs = [_toc_entry(doc, level, title) for level, title in entries] or \
        [doc.add_paragraph(gettext(FIELD_HINT, lang))]
    field_chars(paragraphs[0], r'TOC \o "1-3" \h \z \u', end=False, before=True)
    field_chars(paragraphs[-1], "", end=True)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    settings = doc.settings.element
    if settings.find(qn("w:updateFields")) is None:  # Word refreshes the TOC when it opens
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        settings.append(update)


def _headings(sections: list[Section], level: int):
    for section in sections:
        yield level, section.title
        yield from _headings(section.subsections, level + 1)


def _toc_entry(doc, level: int, title: str):
    style = f"TOC {level}" if has_style(doc, f"TOC {level}") else None
    paragraph = doc.add_paragraph(title, style=style)
    if style is None:
        paragraph.paragraph_format.left_indent = Cm(0.6 * (level - 1))
        paragraph.paragraph_format.space_after = Pt(2)
    return paragraph


def field_chars(paragraph, instruction: str, *, end: bool, before: bool = False) -> None:
    """The begin/instruction/separate marks (at the paragraph's start) or the end mark (at its
    end) of a complex field whose shown result spans paragraphs (the TOC)."""
    marks = [_fld("end")] if end else [_fld("begin"), _instr(instruction), _fld("separate")]
    start = 1 if paragraph._p.pPr is not None else 0
    for offset, mark in enumerate(marks):
        run = OxmlElement("w:r")
        run.append(mark)
        if before:
            paragraph._p.insert(start + offset, run)
        else:
            paragraph._p.append(run)


def _fld(kind: str):
    element = OxmlElement("w:fldChar")
    element.set(qn("w:fldCharType"), kind)
    if kind == "begin":
        element.set(qn("w:dirty"), "true")
    return element


def _instr(instruction: str):
    element = OxmlElement("w:instrText")
    element.set(qn("xml:space"), "preserve")
    element.text = f" {instruction} "
    return element


def field(paragraph, instruction: str, placeholder: str = "") -> None:
    """A complex field (PAGE, NUMPAGES …) with `placeholder` as its shown result."""
    for mark in (_fld("begin"), _instr(instruction), _fld("separate")):
        paragraph.add_run()._r.append(mark)
    paragraph.add_run(placeholder or "1")
    paragraph.add_run()._r.append(_fld("end"))


def page_numbers(doc) -> None:
    """A centred PAGE field in every footer that has none (a template's own footer is kept)."""
    for section in doc.sections:
        footer = section.footer
        if "PAGE" in footer._element.xml and "instrText" in footer._element.xml:
            continue
        first = footer.paragraphs[0] if footer.paragraphs else None
        paragraph = first if first is not None and not first.text else footer.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        field(paragraph, "PAGE")


def _section(doc, section: Section, level: int) -> None:
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
            _prose(doc, item.markdown, level)
        elif item.kind == "table":
            table(doc, item)
        elif item.kind == "chart":
            image(doc, item.svg, item.caption)
    for sub in section.subsections:
        _section(doc, sub, level + 1)


def image(doc, svg: str, caption: str) -> None:
    """An SVG chart as a PNG picture the width of the text, with its caption below."""
    import cairosvg

    width = int(IMAGE_WIDTH.cm * PIXELS_PER_CM)
    png = cairosvg.svg2png(bytestring=svg.encode("utf-8"), output_width=width)
    doc.add_picture(io.BytesIO(png), width=IMAGE_WIDTH)
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    style = "Caption" if has_style(doc, "Caption") else None
    doc.add_paragraph(caption, style=style)


_INLINE = re.compile(r"(\*\*[^*]+\*\*|\*[^*]+\*)")


def _prose(doc, text: str, level: int) -> None:
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

