"""The reference report's 2022 figures in, the reference report's tables out.

Expected rows are the reference's own (tests/models/report/reference_2022.py), with its labels mapped to
our spelling by the one `SPELLING` map shared with the statistics tests.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from models import db
from models.org_import import import_org
from models.report.build import build_report
from models.report.content import NotCollected, Table
from models.report.figures import IT_CATEGORIES
from models.report.figures_import import import_figures
from models.report.render import render_html, render_markdown
from models.settings import ROOT
from tests.models.report.reference_2022 import (
    REFERENCE_BREACHES,
    REFERENCE_EQUIPMENT,
    REFERENCE_IT,
    REFERENCE_NOT_COLLECTED,
    SPELLING,
    ours,
)
from tests.models.report.report_year_data import walk

REFERENCE = ROOT / "tests" / "fixtures" / "report" / "alingsas-2022.yaml"

IT_2022 = ours(REFERENCE_IT)
EQUIPMENT_2022 = ours(REFERENCE_EQUIPMENT)
BREACHES_2022 = ours(REFERENCE_BREACHES)
NOT_COLLECTED_2022 = REFERENCE_NOT_COLLECTED


def _by_id(report, sid):
    return next(s for s in walk(report.sections) if s.id == sid)


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
    sentences = [i.text for s in walk([incidents]) for i in s.items if isinstance(i, NotCollected)]
    assert sentences == NOT_COLLECTED_2022
    pd = _by_id(report_2022, "personuppgiftsincidenter").items[0]
    assert pd.text.startswith(
        "Antalet inrapporterade personuppgiftsincidenter uppgår till 22 stycken"
    )


def test_no_empty_table_anywhere(report_2022):
    for section in walk(report_2022.sections):
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


def test_spelling_maps_reference_labels_to_the_vocabulary():
    labels = [entry["sv"] for entry in IT_CATEGORIES.values()]
    assert [label for label, _count in ours(REFERENCE_IT)] == labels
    assert all(ref not in labels and mine in labels for ref, mine in SPELLING.items())
