"""The reference report's 2022 figures in, the reference report's tables out.

Expected rows are typed from shared/reference/alingsas-uppfoljning-2022.txt (its three incident
tables and its "Någon insamling … har inte genomförts under 2022" sentences).
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from models import db
from models.figures_import import import_figures
from models.org_import import import_org
from models.report import build_report
from models.report_content import NotCollected, Table
from models.report_render import render_html, render_markdown
from models.settings import ROOT

REFERENCE = ROOT / "tests" / "fixtures" / "report" / "alingsas-2022.yaml"

IT_2022 = [
    ["Överbelastningsattacker där kommunens skydd aktiverats", "13"],
    ["Överbelastningsattacker som fått påverkan på verksamhet/system", "0"],
    ["Fullbordade kända intrång", "0"],
    ["Phishingattacker", "Ca 650"],
    ["Lyckade phishingattacker", "6"],
    ["Skadlig kod – händelser där skadlig kod är stoppad i klienter (datorer)", "Ca 1250"],
]
EQUIPMENT_2022 = [
    ["Chromebooks", "43"],
    ["OTP-kort", "40"],
    ["EDU iPad", "9"],
    ["ADM iPad", "4"],
    ["Mobiltelefoner och tillbehör", "3"],
    ["EDU PC", "2"],
    ["ADM PC", "1"],
]
BREACHES_2022 = [
    ["Barn- och ungdomsnämnden", "5"],
    ["Kommunstyrelsen", "2"],
    ["Kultur- och utbildningsnämnden", "2"],
    ["Samhällsbyggnadsnämnden", "1"],
    ["Socialnämnden", "4"],
    ["Vård- och omsorgsnämnden", "8"],
    ["Överförmyndarnämnden", "0"],
]
NOT_COLLECTED_2022 = [
    "Någon insamling av incidenter gällande inbrott och övrig skadegörelse har inte genomförts "
    "under 2022.",
    "Någon insamling av incidenter gällande personell säkerhet har inte genomförts under 2022.",
    "Någon insamling av incidenter gällande administrativ säkerhet har inte genomförts under 2022.",
]


def _walk(sections):
    for section in sections:
        yield section
        yield from _walk(section.subsections)


def _by_id(report, sid):
    return next(s for s in _walk(report.sections) if s.id == sid)


def _tables(section):
    return [i for i in section.items if isinstance(i, Table)]


@pytest.fixture(params=["without-org", "with-org"])
def report_2022(request, sqlite_store):
    db.migrate()
    with db.session() as s:
        if request.param == "with-org":  # today's boards must not add or reorder 2022's rows
            import_org(ROOT / "examples" / "alingsas.yaml", session=s)
        import_figures(REFERENCE, session=s)
    with db.session() as s:
        return build_report(2022, session=s)


def test_incident_tables_carry_exactly_the_reference_rows(report_2022):
    assert _tables(_by_id(report_2022, "incidenter-it"))[0].rows == IT_2022
    assert _tables(_by_id(report_2022, "incidenter-fysisk"))[0].rows == EQUIPMENT_2022
    assert _tables(_by_id(report_2022, "personuppgiftsincidenter"))[0].rows == BREACHES_2022
    headers = [
        _tables(_by_id(report_2022, sid))[0].headers
        for sid in ("incidenter-it", "incidenter-fysisk", "personuppgiftsincidenter")
    ]
    assert headers == [
        ["IT-säkerhetsincidenter 2022", "Antal"],
        ["Borttappad/stulen utrustning 2022", "Antal"],
        ["Personuppgiftsincidenter 2022", "Antal"],
    ]


def test_not_collected_where_the_reference_says_so(report_2022):
    incidents = _by_id(report_2022, "incidenter")
    sentences = [i.text for s in _walk([incidents]) for i in s.items if isinstance(i, NotCollected)]
    assert sentences == NOT_COLLECTED_2022
    pd = _by_id(report_2022, "personuppgiftsincidenter").items[0]
    assert pd.text.startswith(
        "Antalet inrapporterade personuppgiftsincidenter uppgår till 22 stycken"
    )


def test_no_empty_table_anywhere(report_2022):
    for section in _walk(report_2022.sections):
        for table in _tables(section):
            assert table.rows, f"empty table in {section.id}"
        # a section says something: content, a sentence, or subsections
        assert section.items or section.subsections, section.id


class _Cells(HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows, self._row, self._in = [], None, False

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self._row = []
        elif tag == "td" and self._row is not None:
            self._in = True
            self._row.append("")

    def handle_endtag(self, tag):
        if tag == "tr" and self._row:
            self.rows.append(self._row)
            self._row = None
        elif tag == "td":
            self._in = False

    def handle_data(self, data):
        if self._in:
            self._row[-1] += data


def test_html_and_markdown_show_the_same_rows(report_2022):
    cells = _Cells()
    cells.feed(render_html(report_2022))
    for row in IT_2022 + EQUIPMENT_2022 + BREACHES_2022:
        assert row in cells.rows
    text = render_markdown(report_2022)
    for row in IT_2022 + EQUIPMENT_2022 + BREACHES_2022:
        assert f"| {row[0]} | {row[1]} |" in text
    for sentence in NOT_COLLECTED_2022:
        assert sentence in text


def test_english_report_keeps_rows_and_says_not_collected(sqlite_store):
    db.migrate()
    with db.session() as s:
        import_figures(REFERENCE, session=s)
    with db.session() as s:
        report = build_report(2022, session=s, lang="en")
    it = _tables(_by_id(report, "incidenter-it"))[0]
    assert it.rows[3] == ["Phishing attacks", "Approx. 650"]
    assert report.title.startswith("Follow-up and evaluation")
    assert (
        "No collection of incidents of personnel security was carried out in 2022."
        in render_markdown(report)
    )
