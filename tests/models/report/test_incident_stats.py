"""The statistics reproduce the reference report's three incident tables from the register."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from models.incidents.register import PHYSICAL_KINDS, Incident
from models.report.figures import BURGLARY, OTHER_AREAS
from models.report.incident_stats import Count, incident_tables
from tests.models.report.reference_2022 import (
    REFERENCE_BREACHES,
    REFERENCE_EQUIPMENT,
    REFERENCE_IT,
    ours,
)

BOARDS = {
    "overformyndarnamnden": "Överförmyndarnämnden",
    "socialnamnden": "Socialnämnden",
    "kommunstyrelsen": "Kommunstyrelsen",
    "vard-och-omsorgsnamnden": "Vård- och omsorgsnämnden",
    "barn-och-ungdomsnamnden": "Barn- och ungdomsnämnden",
    "kultur-och-utbildningsnamnden": "Kultur- och utbildningsnämnden",
    "samhallsbyggnadsnamnden": "Samhällsbyggnadsnämnden",
}
EQUIPMENT_KEYS = [
    "utrustning_chromebook",
    "utrustning_otp_kort",
    "utrustning_ipad_edu",
    "utrustning_ipad_adm",
    "utrustning_mobil",
    "utrustning_pc_edu",
    "utrustning_pc_adm",
]


def incident(
    n: int, category: str, board="kommunstyrelsen", subkind="", equipment="", personal=False
) -> Incident:
    aware = datetime(2022, 1, 3, 8, tzinfo=UTC) + timedelta(hours=59 * n)  # spread over the year
    return Incident(
        id=n,
        category=category,
        subkind=subkind,
        equipment=equipment,
        unit_id="u",
        board_id=board,
        aware_at=aware,
        registered_at=aware,
        personal_data=personal or category == "personuppgiftsincident",
    )


def register_2022() -> list[Incident]:
    """The year 2022 as the register would hold it."""
    made: list[Incident] = []

    def add(count: int, **kw) -> None:
        base = len(made)
        made.extend([incident(base + i, **kw) for i in range(count)])

    add(13, category="it-sakerhet", subkind="ddos_skydd_aktiverat")
    add(6, category="it-sakerhet", subkind="natfiske_lyckade")
    for key, (_label, count) in zip(EQUIPMENT_KEYS, REFERENCE_EQUIPMENT, strict=True):
        add(int(count), category="fysisk-sakerhet", subkind="utrustning", equipment=key)
    names = {name: board for board, name in BOARDS.items()}
    for name, count in REFERENCE_BREACHES:
        add(int(count), category="personuppgiftsincident", board=names[name])
    return made


# Phishing attempts and stopped malware come from the mail gateway and the endpoint protection,
# as estimates; the areas the report says were not collected are marked so.
OTHER = {
    ("it-sakerhet", "natfiske_forsok"): Count(650, approx=True),
    ("it-sakerhet", "skadlig_kod_stoppad"): Count(1250, approx=True),
    ("ej-insamlat", "inbrott_skadegorelse"): Count(None),
    ("ej-insamlat", "personell_incidenter"): Count(None),
    ("ej-insamlat", "administrativa_incidenter"): Count(None),
}


def printed(rows) -> list[list[str]]:
    return [[row.label, row.text()] for row in rows]


def test_registered_incidents_reproduce_the_reference_tables():
    tables = incident_tables(2022, register_2022(), BOARDS.items(), OTHER)
    assert printed(tables.it_security) == ours(REFERENCE_IT)
    assert printed(tables.equipment) == ours(REFERENCE_EQUIPMENT)
    assert printed(tables.personal_data) == ours(REFERENCE_BREACHES)
    assert sum(row.count for row in tables.personal_data) == 22
    assert tables.not_collected == [
        "inbrott_skadegorelse",
        "personell_incidenter",
        "administrativa_incidenter",
    ]


def test_other_years_and_local_new_year_are_kept_apart():
    late = incident(1, "personuppgiftsincident", board="socialnamnden")
    late.aware_at = datetime(2022, 12, 31, 23, 30, tzinfo=UTC)  # 00:30 on 1 January in Stockholm
    tables = incident_tables(2023, [late], BOARDS.items())
    assert dict(printed(tables.personal_data))["Socialnämnden"] == "1"
    assert incident_tables(2022, [late], BOARDS.items()).personal_data is None


def test_a_registered_incident_of_an_area_means_it_was_collected():
    staff = incident(1, "personell")
    tables = incident_tables(2022, [staff], BOARDS.items(), OTHER)
    assert "personell_incidenter" not in tables.not_collected
    assert tables.it_security is not None and tables.equipment is None


def test_a_year_without_anything_is_not_collected():
    tables = incident_tables(2024, register_2022(), BOARDS.items())
    assert (tables.it_security, tables.equipment, tables.personal_data) == (None, None, None)
    assert tables.not_collected == list(OTHER_AREAS) and tables.areas == {}


def test_a_registered_burglary_counts_in_its_area_with_other_sources():
    burglary = incident(1, "fysisk-sakerhet", subkind=BURGLARY)
    assert BURGLARY in PHYSICAL_KINDS and BURGLARY in OTHER_AREAS  # one id for both
    form = {("omraden", BURGLARY): Count(2), ("omraden", "administrativa_incidenter"): Count(0)}
    tables = incident_tables(2022, [burglary], BOARDS.items(), form)
    assert tables.areas == {BURGLARY: 3, "administrativa_incidenter": 0}
    assert tables.not_collected == ["personell_incidenter"]  # an answered 0 is a real zero


def test_english_labels():
    tables = incident_tables(2022, register_2022(), BOARDS.items(), OTHER, lang="en")
    assert tables.it_security[3].label == "Phishing attacks"
    assert tables.it_security[3].text("en") == "Approx. 650"


def test_once_breaches_are_registered_the_register_alone_counts_them():
    board_form_counts = {("personuppgiftsincidenter", "socialnamnden"): Count(4)}
    tables = incident_tables(2022, register_2022(), BOARDS.items(), board_form_counts)
    assert printed(tables.personal_data) == ours(REFERENCE_BREACHES)
    without_register = incident_tables(2022, [], BOARDS.items(), board_form_counts)
    assert dict(printed(without_register.personal_data))["Socialnämnden"] == "4"
