"""`figures import`: earlier years' figures from YAML and CSV, all or nothing, on both stores."""

from __future__ import annotations

import pytest
from sqlmodel import select

from models import db
from models.errors import InputError
from models.report.figures import ActionFigure, IncidentFigure, MaturityFigure
from models.report.figures_import import import_figures, parse_count
from models.settings import ROOT
from tests.language import use_language

REFERENCE = ROOT / "tests" / "fixtures" / "report" / "alingsas-2022.yaml"


def _incidents(year: int) -> list[IncidentFigure]:
    with db.session() as s:
        return list(
            s.exec(
                select(IncidentFigure)
                .where(IncidentFigure.year == year)
                .order_by(IncidentFigure.position)
            ).all()
        )


def test_reference_figures_are_stored_in_reference_order(store):
    with db.session() as s:
        import_figures(REFERENCE, session=s)
    rows = _incidents(2022)
    it = [(r.category, r.count, r.approx) for r in rows if r.table_id == "it-sakerhet"]
    assert it == [
        ("ddos_skydd_aktiverat", 13, False),
        ("ddos_paverkan", 0, False),
        ("intrang", 0, False),
        ("natfiske_forsok", 650, True),
        ("natfiske_lyckade", 6, False),
        ("skadlig_kod_stoppad", 1250, True),
    ]
    boards = [(r.label, r.count) for r in rows if r.table_id == "personuppgiftsincidenter"]
    assert boards[0] == ("Barn- och ungdomsnämnden", 5) and boards[-1] == (
        "Överförmyndarnämnden",
        0,
    )
    missing = [r.category for r in rows if r.table_id == "ej-insamlat"]
    assert missing == ["inbrott_skadegorelse", "personell_incidenter", "administrativa_incidenter"]
    assert all(r.count is None for r in rows if r.table_id == "ej-insamlat")


def test_reimport_replaces_the_year_instead_of_adding(store, tmp_path):
    with db.session() as s:
        import_figures(REFERENCE, session=s)
    changed = tmp_path / "fix.yaml"
    changed.write_text("years:\n  - year: 2022\n    it-sakerhet: {intrang: 2}\n", encoding="utf-8")
    with db.session() as s:
        import_figures(changed, session=s)
    rows = _incidents(2022)
    assert [(r.category, r.count) for r in rows if r.table_id == "it-sakerhet"] == [("intrang", 2)]
    # sections the second file does not name are kept
    assert len([r for r in rows if r.table_id == "utrustning"]) == 7


def test_csv_with_maturity_and_action_plan(store, tmp_path):
    path = tmp_path / "earlier.csv"
    path.write_text(
        "year,section,key,value,note\n"
        "2021,infosakkollen,Ledningens engagemang och styrning,1,\n"
        "2021,infosakkollen,incidenthantering,0,\n"
        "2021,handlingsplan,Införa tvåfaktorsautentisering,paborjad,Pilot klar\n"
        "2021,it-sakerhet,natfiske_forsok,ca 400,\n"
        "2021,personuppgiftsincidenter,socialnamnden,3,Socialnämnden\n"
        "2021,ej-insamlat,personell_incidenter,,\n",
        encoding="utf-8",
    )
    with db.session() as s:
        years = import_figures(path, session=s)
    assert [y.year for y in years] == [2021]
    with db.session() as s:
        levels = s.exec(select(MaturityFigure).order_by(MaturityFigure.position)).all()
        actions = s.exec(select(ActionFigure)).all()
    assert [(m.area, m.level) for m in levels] == [
        ("Ledningens engagemang och styrning", 1.0),
        ("incidenthantering", 0.0),
    ]
    assert [(a.activity, a.status, a.comment) for a in actions] == [
        ("Införa tvåfaktorsautentisering", "paborjad", "Pilot klar")
    ]
    rows = {(r.table_id, r.category): r for r in _incidents(2021)}
    assert (
        rows[("it-sakerhet", "natfiske_forsok")].count,
        rows[("it-sakerhet", "natfiske_forsok")].approx,
    ) == (400, True)
    assert rows[("personuppgiftsincidenter", "socialnamnden")].label == "Socialnämnden"


def test_bad_yaml_names_file_line_and_field_and_writes_nothing(sqlite_store, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        "years:\n"
        "  - year: 2022\n"
        "    it-sakerhet:\n"
        "      intrang: 1\n"
        "      natfiske_forsok: många\n"
        "      okand: 3\n"
        "    handlingsplan:\n"
        "      - {activity: A, status: klar}\n"
        "    infosakkollen:\n"
        "      - {area: Styrning, level: 7}\n",
        encoding="utf-8",
    )
    with db.session() as s, pytest.raises(InputError) as caught:
        import_figures(path, session=s)
    problems = caught.value.problems
    assert "bad.yaml:5: years[0].it-sakerhet.natfiske_forsok: 'många' är inget antal" in problems[0]
    assert problems[1].startswith(
        "bad.yaml:6: years[0].it-sakerhet.okand: okänd kategori 'okand'"
    )
    assert any(
        p.startswith("bad.yaml:8: years[0].handlingsplan[0]: okänd status 'klar'")
        for p in problems
    )
    assert "bad.yaml:10: years[0].infosakkollen[0]: level 7 ligger utanför 0–5" in problems
    assert _incidents(2022) == []


def test_bad_csv_names_line_and_column(sqlite_store, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "year,section,key,value,note\n2022,utrustning,chromebook,4,\n"
        "tjugo,utrustning,utrustning_otp_kort,1,\n2022,okänd,x,1,\n",
        encoding="utf-8",
    )
    with db.session() as s, pytest.raises(InputError) as caught:
        import_figures(path, session=s)
    assert caught.value.problems[0].startswith("bad.csv:2: value: okänd kategori 'chromebook'")
    assert caught.value.problems[1] == "bad.csv:3: year: 'tjugo' är inget årtal"
    assert caught.value.problems[2].startswith("bad.csv:4: section: okänt avsnitt 'okänd'")
    assert _incidents(2022) == []


def test_bad_csv_in_english(sqlite_store, tmp_path, monkeypatch):
    use_language(monkeypatch, "en")
    path = tmp_path / "bad.csv"
    path.write_text("year,section,key,value,note\ntjugo,utrustning,x,1,\n", encoding="utf-8")
    with db.session() as s, pytest.raises(InputError) as caught:
        import_figures(path, session=s)
    assert caught.value.problems == ["bad.csv:2: year: 'tjugo' is not a year"]


def test_missing_file_and_header(sqlite_store, tmp_path):
    with db.session() as s, pytest.raises(InputError) as caught:
        import_figures(tmp_path / "saknas.csv", session=s)
    assert caught.value.problems == [f"{tmp_path / 'saknas.csv'}: filen finns inte"]
    path = tmp_path / "kort.csv"
    path.write_text("year,section,key\n", encoding="utf-8")
    with db.session() as s, pytest.raises(InputError) as caught:
        import_figures(path, session=s)
    assert caught.value.problems == ["kort.csv:1: header: kolumner saknas: value, note"]


def test_duplicate_rows_are_refused(sqlite_store, tmp_path):
    path = tmp_path / "dup.csv"
    path.write_text(
        "year,section,key,value,note\n2022,it-sakerhet,intrang,1,\n2022,it-sakerhet,intrang,2,\n",
        encoding="utf-8",
    )
    with db.session() as s, pytest.raises(InputError) as caught:
        import_figures(path, session=s)
    assert caught.value.problems == ["dup.csv: 2022 it-sakerhet: 'intrang' finns två gånger"]


@pytest.mark.parametrize(
    "text,expected",
    [(13, (13, False)), ("Ca 650", (650, True)), ("ca. 1250", (1250, True)), ("0", (0, False))],
)
def test_parse_count(text, expected):
    assert parse_count(text) == expected


@pytest.mark.parametrize("text", [-1, "ungefär 5", True, "1.5"])
def test_parse_count_refuses(text):
    with pytest.raises(ValueError):
        parse_count(text)
