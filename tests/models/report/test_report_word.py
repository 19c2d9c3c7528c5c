"""The DOCX report as the board receives it: read back with python-docx, converted to PDF by
LibreOffice and to PNG pages (pypdfium2) kept in test-artifacts/report/ for a human to look at."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from html import escape

import pytest
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from models import db
from models.report.build import build_report
from models.report.render import render
from models.settings import ROOT
from tests.models.report.report_year_data import YEAR, build_year

ARTIFACTS = ROOT / "test-artifacts" / "report"


@pytest.fixture
def report(sqlite_store, tmp_path):
    build_year(tmp_path)
    with db.session() as s:
        return build_report(YEAR, session=s, today=date(YEAR, 10, 5),
                            prose_text="## Sammanfattning\nEtt år av **uppbyggnad**.\n")


def _xml(data: bytes, part: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = [n for n in archive.namelist() if n.startswith(part)]
        return "".join(archive.read(n).decode("utf-8") for n in names)


def _charts(sections) -> int:
    return sum(1 for s in sections for i in s.items if i.kind == "chart") + sum(
        _charts(s.subsections) for s in sections)


def test_docx_has_title_page_toc_page_numbers_images_and_swedish_styles(report):
    data = render(report, "docx")
    doc = Document(io.BytesIO(data))
    # Swedish proofing on the defaults and on every paragraph and character style
    for style in doc.styles:
        if style.type in (WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER):
            lang = style.element.rPr.find(qn("w:lang"))
            assert lang.get(qn("w:val")) == "sv-SE", style.name
    assert 'w:lang w:val="sv-SE"' in _xml(data, "word/styles.xml").split("</w:docDefaults>")[0]
    body = _xml(data, "word/document.xml")
    assert 'TOC \\o "1-3" \\h \\z \\u' in body and "Innehåll" in body
    # the contents are shown even before Word updates the field
    toc = body.split("TOC \\o")[1].split('w:fldCharType="end"')[0]
    assert all(escape(s.title, quote=False) in toc for s in report.sections)
    assert "PAGE" in _xml(data, "word/footer")
    # charts and the wheel as pictures (the same SVG as the HTML, rasterised)
    assert len(doc.inline_shapes) == _charts(report.sections) >= 3
    headings = [p for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert {"Heading 1", "Heading 2"} <= {p.style.name for p in headings}
    assert doc.paragraphs[6].style.name == "Title" and doc.paragraphs[6].text == report.title
    props = doc.core_properties
    assert props.author == report.organisation and props.language == "sv-SE"
    assert props.title.startswith(report.title) and props.created.year >= 2026
    assert "python-docx" not in (props.author, props.last_modified_by, props.comments)


def test_columns_are_as_wide_as_their_longest_word(report):
    doc = Document(io.BytesIO(render(report, "docx")))
    tables = [t for t in doc.tables if len(t.columns) >= 3]
    assert tables
    for grid in tables:
        widths = [c.width for c in grid.columns]
        assert len(set(widths)) > 1 or len(widths) < 2  # not equal-width columns
        widest = max(s.page_width - s.left_margin - s.right_margin for s in doc.sections)
        assert sum(widths) <= widest + len(widths)
        size = grid.rows[0].cells[0].paragraphs[0].runs[0].font.size or Pt(10.5)
        for column, width in zip(grid.columns, widths, strict=True):
            longest = max(len(w) for c in column.cells for w in c.text.split() or [""])
            # about 0.55 em per character: no word is broken inside a column
            assert width >= longest * size * 0.5, ([c.text for c in grid.rows[0].cells], widths)


def test_a_wide_table_gets_a_landscape_page(report):
    doc = Document(io.BytesIO(render(report, "docx")))
    turned = [s for s in doc.sections if s.page_width > s.page_height]
    assert turned and doc.sections[-1].page_width < doc.sections[-1].page_height


def test_template_styles_and_footer_are_used(report, tmp_path):
    template = Document()
    heading = template.styles["Heading 1"]
    heading.font.name, heading.font.color.rgb = "Georgia", RGBColor(0x8B, 0x00, 0x00)
    template.sections[0].footer.paragraphs[0].text = "Alingsås kommun · Kommunstyrelsen"
    template.add_paragraph("Mallens exempeltext som ska bort.")
    path = tmp_path / "mall.docx"
    template.save(path)
    doc = Document(io.BytesIO(render(report, "docx", template=path)))
    assert doc.styles["Heading 1"].font.name == "Georgia"
    assert doc.styles["Heading 1"].font.color.rgb == RGBColor(0x8B, 0x00, 0x00)
    assert any(p.style.name == "Heading 1" for p in doc.paragraphs)
    assert "Mallens exempeltext" not in "\n".join(p.text for p in doc.paragraphs)
    footer = doc.sections[0].footer
    assert footer.paragraphs[0].text == "Alingsås kommun · Kommunstyrelsen"
    assert "PAGE" in footer._element.xml  # the page number joins the template's own footer
    assert doc.styles["Normal"].element.rPr.find(qn("w:lang")).get(qn("w:val")) == "sv-SE"


@pytest.mark.slow
def test_pdf_by_libreoffice_and_its_pages_as_png(report):
    import pypdfium2

    pdf = render(report, "pdf")
    assert pdf.startswith(b"%PDF")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"uppfoljning-{YEAR}-word.pdf").write_bytes(pdf)
    (ARTIFACTS / f"uppfoljning-{YEAR}-word.docx").write_bytes(render(report, "docx"))
    document = pypdfium2.PdfDocument(pdf)
    assert len(document) >= 5
    pages = [document[i].get_textpage().get_text_range() for i in range(len(document))]
    text = " ".join(" ".join(pages).split())
    assert report.title in text and "Innehåll" in text and "Personuppgiftsincidenter" in text
    # no word broken over two lines inside a table cell (LibreOffice laid the columns out)
    for word in ("Kommentar", "Dataskyddsorganisation", "Informationstillgång", "Uppfyllt"):
        assert word in " ".join(pages).replace("\r\n", " "), word
    for index in range(len(document)):
        image = document[index].render(scale=1.2).to_pil()
        image.save(ARTIFACTS / f"uppfoljning-{YEAR}-word-sida-{index + 1:02d}.png")
        if index == 0:
            assert image.getbbox() is not None
    # the charts and the wheel made it into the PDF as pictures
    images = sum(1 for i in range(len(document))
                 for _obj in document[i].get_objects(filter=(pypdfium2.raw.FPDF_PAGEOBJ_IMAGE,)))
    assert images == _charts(report.sections)
