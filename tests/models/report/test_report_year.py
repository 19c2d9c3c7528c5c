"""A simulated year: every section of the report is filled from the store, in every format."""

from __future__ import annotations

import io
from datetime import date

import pytest

from models import db
from models.report.build import build_report
from models.report.content import Bullets, Chart, NotCollected, Paragraph, Prose, Table
from models.report.render import render
from tests.models.report.report_year_data import ACTIVITIES, YEAR, build_year, walk

PROSE = """# Sammanfattning
Året präglades av **NIS2**.

## Omvärldsanalys
Hotbilden mot kommuner har ökat.

## Rekommendationer
- Mer utbildning
- Fler övningar
"""
SECTIONS = [
    "sammanfattning",
    "om",
    "underlag",
    "omvarldsanalys",
    "uppfoljning",
    "utvalda",
    "revisioner",
    "infosakkollen",
    "dpo",
    "extern",
    "atgarder",
    "incidenter",
    "incidenter-it",
    "incidenter-fysisk",
    "incidenter-personell",
    "incidenter-administrativ",
    "personuppgiftsincidenter",
    "riskarbete",
    "riskanalyser",
    "klassning",
    "utbildning",
    "matningar",
    "overensstammelse",
    "mal-informationssakerhet",
    "mal-dataskydd",
    "lagefterlevnad",
    "lag-informationssakerhet",
    "lag-dataskydd",
    "effektivitet",
    "rekommendationer",
    "bilagor",
    "bilaga1",
]


@pytest.fixture
def year_report(store, tmp_path):
    facts = build_year(tmp_path)
    with db.session() as s:
        report = build_report(YEAR, session=s, prose_text=PROSE, today=date(YEAR, 12, 10))
    return report, facts


def _section(report, sid):
    return next(s for s in walk(report.sections) if s.id == sid)


def _table(report, sid, index=0):
    return [i for i in _section(report, sid).items if isinstance(i, Table)][index]


def test_every_section_is_filled_from_the_store(year_report):
    report, _facts = year_report
    assert [s.id for s in walk(report.sections)] == SECTIONS
    # The quarterly form lets units mark burglary and personnel incidents "not collected": the
    # report must say so for exactly those two, and nowhere else.
    missing = {
        s.id: i.text for s in walk(report.sections) for i in s.items if isinstance(i, NotCollected)
    }
    assert set(missing) == {"incidenter-fysisk", "incidenter-personell"}
    assert "inbrott och övrig skadegörelse" in missing["incidenter-fysisk"]
    for section in walk(report.sections):
        assert section.items or section.subsections, section.id


def test_sections_carry_the_years_numbers(year_report):
    report, facts = year_report
    plan = _table(report, "uppfoljning").rows
    assert plan == [["Genomförd", "1"], ["Påbörjad", "1"], ["Ej påbörjad", "1"]]
    follow_up = _section(report, "uppfoljning").items
    carried = [i for i in follow_up if isinstance(i, Bullets)]
    assert [b.items for b in carried] == [  # the unit that followed them up, named
        [f"Alingsås Energi AB: {name}" for name, status in ACTIVITIES if status != "genomford"]
    ]
    lead_in = follow_up[follow_up.index(carried[0]) - 1]
    assert isinstance(lead_in, Paragraph)
    assert f"flyttas över till {YEAR + 1} års handlingsplan" in lead_in.text
    appendix = _table(report, "bilaga1").rows
    assert [row[0] for row in appendix] == [name for name, _status in ACTIVITIES]
    maturity = next(i for i in _section(report, "infosakkollen").items if isinstance(i, Chart))
    assert "<svg" in maturity.svg
    assert maturity.table.rows[0] == ["Ledningens engagemang och styrning", "2", "3", "4"]
    assert maturity.table.rows[2][1] == "–"  # no 2026 figure for that area: no fake zero
    dpo = {row[0]: row for row in _table(report, "dpo").rows}
    assert dpo["Vård- och omsorgsnämnden"][1] == "Ej inlämnad"
    assert dpo["Kommunstyrelsen"][4] == "Nej" and dpo["Socialnämnden"][4] == "Ja"
    risk = {row[0]: row for row in _table(report, "riskanalyser").rows}
    assert risk["Alingsås Energi AB"][1:] == ["2", "3", "Nej"]
    assert risk["Vård- och omsorgsförvaltningen"][1] == "ej inlämnad"
    assert risk["Socialförvaltningen"][1:] == ["3", "3", "Ja"]
    assert any(isinstance(i, Chart) for i in _section(report, "riskanalyser").items)
    worst = _table(report, "riskanalyser", 1).rows[0]
    assert worst[2:4] == ["Driftstopp", "16"]  # the form's label, likelihood 4 × consequence 4
    breaches = dict(_table(report, "personuppgiftsincidenter").rows)
    assert breaches["Socialnämnden"] == "1" and breaches["Kommunstyrelsen"] == "0"
    it = dict(_table(report, "incidenter-it").rows)
    assert it["Fullbordade kända intrång"] == "1"  # the registered intrusion
    assert it["Phishingattacker"] == str(40 * facts["incident_answers"])
    training = _table(report, "utbildning").rows
    assert training == [
        ["Kommunledningskontoret", "3", "5", "60 %"],
        ["Socialförvaltningen", "4", "5", "80 %"],
        ["Totalt", "7", "10", "70 %"],
    ]
    assert _table(report, "atgarder").rows[0][2:] == ["9", "10", "90 %"]
    assert _table(report, "lagefterlevnad").rows[0][:3] == [
        "Anmälan till IMY (GDPR art. 33)",
        "1",
        "1",
    ]
    klassning = _table(report, "klassning").rows
    assert sum(1 for row in klassning if row[1] != "Nej") == facts["klassning_done"]
    conformity = {row[0]: row for row in _table(report, "overensstammelse").rows}
    assert conformity["Efterlevnadskontroll dataskydd"][1:] == ["7", "6", "6", "1"]


def test_coordinator_prose_opens_its_sections(year_report):
    report, _facts = year_report
    for sid, text in (
        ("sammanfattning", "NIS2"),
        ("omvarldsanalys", "Hotbilden"),
        ("rekommendationer", "Fler övningar"),
    ):
        first = _section(report, sid).items[0]
        assert isinstance(first, Prose) and text in first.markdown


def test_markdown_html_and_docx_are_produced(year_report):
    from docx import Document

    report, _facts = year_report
    md = render(report, "md").decode()
    html = render(report, "html").decode()
    assert md.startswith(
        f"# Uppföljning och utvärdering av informationssäkerhets- och dataskyddsarbetet {YEAR}"
    )
    assert (
        "<strong>NIS2</strong>" in html and html.count("<svg") == 3
    )  # wheel, Infosäkkollen, risks
    assert 'id="today"' in html  # the wheel marks today
    doc = Document(io.BytesIO(render(report, "docx")))
    headings = [
        (p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")
    ]
    assert ("Heading 1", "Incidenter") in headings
    assert ("Heading 2", "Personuppgiftsincidenter") in headings
    assert ("Heading 1", "Riskarbete") in headings
    cells = [[c.text for c in row.cells] for table in doc.tables for row in table.rows]
    assert ["Socialnämnden", "1"] in cells


def test_english_report_matches_imported_swedish_area_names(year_report):
    _report, _facts = year_report
    with db.session() as s:
        report = build_report(YEAR, session=s, lang="en")
    maturity = next(i for i in _section(report, "infosakkollen").items if isinstance(i, Chart))
    assert maturity.table.rows[0] == ["Management commitment and governance", "2", "3", "4"]
