"""`arshjul incident stats` and the annual report print the same numbers for the same store.

One store holds all three sources: registered incidents (including a burglary, and incidents at
the local new year), imported figures, and the quarterly `incidentstatistik` answers.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from typer.testing import CliRunner

from cli.main import app
from models import db
from models.cycle.planning import plan_cycle
from models.cycle.responses import submit
from models.incidents.register import NewIncident, register_incident
from models.report.build import build_report
from models.report.content import NotCollected, Paragraph, Table
from models.report.figures import IncidentFigure
from models.report.sources import assignments
from tests.models.incidents.incident_org import load_example_org
from tests.models.report.report_year_data import walk

YEAR = 2027
ANSWER = {"ddos_skydd_aktiverat": 2, "natfiske_forsok": 40, "intrang": 1}
REGISTERED = [  # (category, subkind, equipment, unit, awareness in UTC)
    ("fysisk-sakerhet", "inbrott-skadegorelse", "", "socialforvaltningen", (3, 4, 9)),
    ("fysisk-sakerhet", "utrustning", "chromebook", "kommunledningskontoret", (5, 2, 9)),
    ("it-sakerhet", "intrang", "", "kommunledningskontoret", (6, 1, 9)),
    ("personell", "", "", "socialforvaltningen", (7, 1, 9)),
    ("personuppgiftsincident", "", "", "socialforvaltningen", (8, 1, 9)),
]


def _register(s, category, subkind, equipment, unit, aware: datetime) -> None:
    new = NewIncident(
        category=category, subkind=subkind, equipment=equipment, unit_id=unit, aware_at=aware
    )
    register_incident(new, now=datetime(YEAR + 1, 1, 20, tzinfo=UTC), session=s)


def _fill_store() -> int:
    """All three sources in one store; returns the number of quarterly answers."""
    load_example_org()
    with db.session() as s:
        plan_cycle(YEAR, session=s)
    with db.session() as s:
        for category, subkind, equipment, unit, (m, d, h) in REGISTERED:
            _register(s, category, subkind, equipment, unit, datetime(YEAR, m, d, h, tzinfo=UTC))
        # 00:30 on 1 January in Stockholm counts in YEAR; 00:30 a year later does not
        for year in (YEAR - 1, YEAR):
            at = datetime(year, 12, 31, 23, 30, tzinfo=UTC)
            _register(s, "personuppgiftsincident", "", "", "kommunledningskontoret", at)
        s.add(
            IncidentFigure(
                year=YEAR,
                table_id="it-sakerhet",
                category="natfiske_forsok",
                count=650,
                approx=True,
            )
        )
        pairs = assignments(s, YEAR, "incidentstatistik")[:3]
        for _step, assignment in pairs:
            values = {**ANSWER, "inbrott_skadegorelse": 1, "personell_incidenter": "not_collected"}
            submit(
                assignment,
                "incidentstatistik",
                values,
                "p",
                session=s,
                now=datetime(YEAR, 12, 1, 9, tzinfo=UTC),
            )
    return len(pairs)


def _report_numbers(report) -> dict:
    sections = {s.id: s for s in walk(report.sections)}

    def rows(sid):
        tables = [i for i in sections[sid].items if isinstance(i, Table)]
        return tables[0].rows if tables else None

    sentences = [
        i.text
        for sid in ("incidenter-fysisk", "incidenter-personell", "incidenter-administrativ")
        for i in sections[sid].items
        if isinstance(i, Paragraph | NotCollected)
    ]
    return {
        "it-sakerhet": rows("incidenter-it"),
        "utrustning": rows("incidenter-fysisk"),
        "personuppgiftsincidenter": rows("personuppgiftsincidenter"),
        "sentences": sentences,
    }


@pytest.mark.slow
def test_stats_and_report_show_the_same_numbers(store):
    answers = _fill_store()
    cli = CliRunner()
    data = json.loads(
        cli.invoke(app, ["incident", "stats", "--year", YEAR, "--format", "json"]).output
    )
    text = cli.invoke(app, ["incident", "stats", "--year", YEAR]).output
    with db.session() as s:
        report = _report_numbers(build_report(YEAR, session=s))
    for table in ("it-sakerhet", "utrustning", "personuppgiftsincidenter"):
        assert report[table] == data[table], table
    assert report["sentences"] == [
        line for line in text.splitlines() if line.startswith(("Under", "Någon"))
    ]
    # and the numbers are the right ones
    it = dict(data["it-sakerhet"])
    assert it["Fullbordade kända intrång"] == str(1 + answers)  # register + form
    assert it["Phishingattacker"] == "Ca 650"  # the imported figure wins over the form's sum
    assert it["Överbelastningsattacker där kommunens skydd aktiverats"] == str(2 * answers)
    assert dict(data["utrustning"]) == {"Chromebooks": "1"} | {
        label: "0" for label, _n in data["utrustning"] if label != "Chromebooks"
    }
    breaches = dict(data["personuppgiftsincidenter"])
    assert (breaches["Socialnämnden"], breaches["Kommunstyrelsen"]) == ("1", "1")  # local year
    # the registered burglary plus the form's; the registered personnel incident although the
    # form says "not collected"; administrative security counted by no source at all
    assert data["omraden"] == {"inbrott_skadegorelse": 1 + answers, "personell_incidenter": 1}
    assert data["ej-insamlat"] == ["administrativa_incidenter"]
    assert f"Under {YEAR} rapporterades {1 + answers} incidenter gällande inbrott" in text
