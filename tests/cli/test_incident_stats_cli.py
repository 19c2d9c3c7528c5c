"""`arshjul incident stats`: the reference report's incident tables from the store."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from typer.testing import CliRunner

from cli.main import app
from models import db
from models.incidents.register import NewIncident, register_incident
from models.report.figures import IncidentFigure
from models.report.incident_stats import Count
from models.report.incident_stats_store import answer_counts
from tests.models.incidents.incident_org import load_example_org
from tests.models.report.reference_2022 import (
    REFERENCE_BREACHES,
    REFERENCE_EQUIPMENT,
    REFERENCE_IT,
    ours,
)
from tests.models.report.test_incident_stats import EQUIPMENT_KEYS

#: a unit serving each board of the example organisation
UNIT_OF = {
    "Barn- och ungdomsnämnden": "barn-och-ungdomsforvaltningen",
    "Kommunstyrelsen": "kommunledningskontoret",
    "Kultur- och utbildningsnämnden": "kultur-och-utbildningsforvaltningen",
    "Samhällsbyggnadsnämnden": "samhallsbyggnadsforvaltningen",
    "Socialnämnden": "socialforvaltningen",
    "Vård- och omsorgsnämnden": "vard-och-omsorgsforvaltningen",
}


def reference_year() -> list[NewIncident]:
    aware = iter(datetime(2022, 1, 3, 8, tzinfo=UTC) + timedelta(hours=50 * n) for n in range(200))
    new = []

    def add(count: int, unit="kommunledningskontoret", **kw) -> None:
        new.extend(NewIncident(unit_id=unit, aware_at=next(aware), **kw) for _ in range(count))

    add(13, category="it-sakerhet", subkind="ddos_skydd_aktiverat")
    add(6, category="it-sakerhet", subkind="natfiske_lyckade")
    for key, (_label, count) in zip(EQUIPMENT_KEYS, REFERENCE_EQUIPMENT, strict=True):
        add(
            int(count),
            category="fysisk-sakerhet",
            subkind="utrustning",
            equipment=key,
            unit="barn-och-ungdomsforvaltningen",
        )
    for board, count in REFERENCE_BREACHES:
        if int(count):
            add(int(count), unit=UNIT_OF[board], category="personuppgiftsincident")
    return new


def test_stats_reproduce_the_reference_tables_from_registered_incidents(store):
    load_example_org()
    with db.session() as session:
        for new in reference_year():
            register_incident(new, now=datetime(2023, 1, 10, tzinfo=UTC), session=session)
        session.add_all(
            [
                IncidentFigure(
                    year=2022,
                    table_id="it-sakerhet",
                    category="natfiske_forsok",
                    count=650,
                    approx=True,
                ),
                IncidentFigure(
                    year=2022,
                    table_id="it-sakerhet",
                    category="skadlig_kod_stoppad",
                    count=1250,
                    approx=True,
                ),
                *[
                    IncidentFigure(year=2022, table_id="ej-insamlat", category=area)
                    for area in (
                        "inbrott_skadegorelse",
                        "personell_incidenter",
                        "administrativa_incidenter",
                    )
                ],
            ]
        )
    result = CliRunner().invoke(app, ["incident", "stats", "--year", "2022", "--format", "json"])
    assert result.exit_code == 0, result.output
    tables = json.loads(result.output)
    assert tables["it-sakerhet"] == ours(REFERENCE_IT)
    assert tables["utrustning"] == ours(REFERENCE_EQUIPMENT)
    assert tables["personuppgiftsincidenter"] == ours(REFERENCE_BREACHES)
    assert tables["ej-insamlat"] == [
        "inbrott_skadegorelse",
        "personell_incidenter",
        "administrativa_incidenter",
    ]
    table = CliRunner().invoke(app, ["incident", "stats", "--year", "2022"]).output
    assert re.search(r"Phishingattacker +Ca 650\n", table)
    assert re.search(r"Överförmyndarnämnden +0\n", table)
    assert (
        "Någon insamling av incidenter gällande personell säkerhet har inte genomförts "
        "under 2022." in table
    )


def test_quarterly_answers_are_summed_into_rows_and_boards():
    answers = [
        SimpleNamespace(
            scope_id="socialforvaltningen",
            data={
                "natfiske_forsok": 120,
                "personuppgiftsincidenter": 2,
                "personell_incidenter": "not_collected",
                "administrativa_incidenter": 3,
            },
        ),
        SimpleNamespace(
            scope_id="kommunledningskontoret",
            data={"natfiske_forsok": 30, "utrustning_chromebook": 1},
        ),
    ]
    counts = answer_counts(
        answers,
        {"socialforvaltningen": "socialnamnden", "kommunledningskontoret": "kommunstyrelsen"},
    )
    assert counts[("it-sakerhet", "natfiske_forsok")] == Count(150)
    assert counts[("utrustning", "utrustning_chromebook")] == Count(1)
    assert counts[("personuppgiftsincidenter", "socialnamnden")] == Count(2)
    assert counts[("omraden", "administrativa_incidenter")] == Count(3)
    assert ("omraden", "personell_incidenter") not in counts  # answered "not collected"
