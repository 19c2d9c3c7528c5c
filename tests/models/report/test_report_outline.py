"""Every heading of the reference report, in its order; the coordinator's text placed by heading
and never dropped; Infosäkkollen's key figure the tool's own overall level with the focus areas."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from typer.testing import CliRunner

from cli.main import app
from models import db
from models.cycle.responses import submit
from models.cycle.tables import Assignment
from models.errors import InputError
from models.report.build import build_report
from models.report.content import Bullets, Chart, Paragraph, Prose
from models.report.figures_import import import_figures
from models.settings import ROOT
from tests.engine_data import assignment, seed
from tests.models.report.report_year_data import walk

#: The headings of shared/reference/alingsas-uppfoljning-2022.txt, in its order, as printed there
#: (the Omvärldsanalys' own sub-headings are the coordinator's text, not the report's outline).
REFERENCE_HEADINGS = [
    "Sammanfattning",
    "Om informationssäkerhet och dataskydd",
    "Underlag för genomgång",
    "Omvärldsanalys",
    "Uppföljning av tidigare beslut",
    "Utvalda delar av genomfört arbete 2022",
    "Resultat från revisioner (interna och externa) och andra granskningar",
    "Informationssäkerhet",
    "Dataskydd",
    "Status när det gäller förebyggande och korrigerande åtgärder",
    "Incidenter",
    "IT-säkerhet",
    "Fysisk säkerhet",
    "Personell säkerhet",
    "Administrativ säkerhet",
    "Personuppgiftsincidenter",
    "Riskarbete",
    "Förvaltningarnas riskanalyser",
    "Informationsklassningar",
    "Resultat från mätningar av informationssäkerhet och dataskydd",
    "Överrensstämmelse med krav och mål",
    "Informationssäkerhet",
    "Utvärdering av lagefterlevnad",
    "Informationssäkerhet",
    "Dataskydd",
    "Utvärdering av ledningssystemets effektivitet",
    "Rekommendationer",
    "Bilagor",
    "Bilaga 1 – Uppföljning Handlingsplan för informationssäkerhet & dataskydd 2022",
]
#: The reference's spelling mistakes in headings, and what the product prints.
HEADING_SPELLING = {"Överrensstämmelse med krav och mål": "Överensstämmelse med krav och mål"}
LEVELS = {"ledningens_engagemang": 3, "mal_och_principer": 4, "incidenthantering": 1,
          "upphandling": 0}


@pytest.fixture
def report_2022(sqlite_store):
    db.migrate()
    with db.session() as s:
        import_figures(ROOT / "tests" / "fixtures" / "report" / "alingsas-2022.yaml", session=s)
    with db.session() as s:
        return build_report(2022, session=s)


def test_every_heading_of_the_reference_is_there_in_its_order(report_2022):
    ours = [s.title for s in walk(report_2022.sections)]
    position = 0
    for heading in REFERENCE_HEADINGS:
        wanted = HEADING_SPELLING.get(heading, heading)
        assert wanted in ours[position:], f"{heading!r} missing after {ours[position - 1]!r}"
        position = ours.index(wanted, position) + 1
    assert "Utbildning" in ours and "Extern revision" in ours  # ours, beyond the reference


def test_text_goes_under_its_heading_in_order(report_2022, sqlite_store):
    text = ("## Informationssäkerhet\nInfosäkkollen besvarades gemensamt.\n\n"
            "## Incidenter\nNOA hörde av sig i december.\n\n"
            "## Överensstämmelse med krav och mål\nTvå policyer.\n\n"
            "## Informationssäkerhet\nFullmäktiges mål nås inte ännu.\n\n"
            "## Utvalda delar av genomfört arbete\nKontinuitetsövningar.\n")
    with db.session() as s:
        report = build_report(2022, session=s, prose_text=text)
    prose = {s.id: [i.markdown for i in s.items if isinstance(i, Prose)]
             for s in walk(report.sections)}
    assert prose["incidenter"] == ["NOA hörde av sig i december."]
    assert prose["infosakkollen"] == ["Infosäkkollen besvarades gemensamt."]
    assert prose["mal-informationssakerhet"] == ["Fullmäktiges mål nås inte ännu."]
    assert prose["lag-informationssakerhet"] == []
    assert prose["utvalda"] == ["Kontinuitetsövningar."]
    goals = next(s for s in walk(report.sections) if s.id == "mal-informationssakerhet")
    assert not any("Ingen text" in getattr(i, "text", "") for i in goals.items)


def test_text_under_an_unknown_heading_is_an_error_naming_it(report_2022, sqlite_store):
    text = "## Sammanfattning\nEtt lugnt år.\n\n## Incidentberättelse\nNOA ringde.\n"
    with db.session() as s, pytest.raises(InputError) as caught:
        build_report(2022, session=s, prose_text=text)
    assert caught.value.problems == [
        "--text: rad 4: rubriken 'Incidentberättelse' motsvarar inget avsnitt i rapporten; "
        "skriv texten under ett av rapportens avsnitt"]


def test_cli_refuses_the_text_and_writes_nothing(sqlite_store, tmp_path):
    seed(2027)  # a planned year: the text, not the year, is what is refused
    prose = tmp_path / "text.md"
    prose.write_text("# Okänt avsnitt\nText.\n", encoding="utf-8")
    out = tmp_path / "rapport.html"
    result = CliRunner().invoke(app, ["report", "--year", "2027", "--text", str(prose),
                                      "-o", str(out)])
    assert result.exit_code == 2
    assert "fel: --text: rad 1: rubriken 'Okänt avsnitt' motsvarar inget avsnitt" in result.output
    assert not out.exists()


def test_key_figure_is_the_tools_overall_level_and_focus_areas_are_listed(store):
    seed(2027)
    row = assignment("infosakkollen", "")
    values = LEVELS | {"total_niva": 0, "fokusomraden": ["incidenthantering", "upphandling"]}
    with db.session() as s:
        submit(s.get(Assignment, row.id), "infosakkollen", values, "david", session=s,
               now=datetime(2027, 3, 20, 9, tzinfo=UTC))
    with db.session() as s:
        report = build_report(2027, session=s, today=date(2027, 12, 1))
        english = build_report(2027, session=s, lang="en", today=date(2027, 12, 1))
    sections = {s.id: s for s in walk(report.sections)}
    facts = next(i for i in sections["sammanfattning"].items if isinstance(i, Bullets)).items
    assert "Infosäkkollen: samlad nivå noll av fem (mål fyra)" in facts  # not the mean 2
    assert "Fokusområden 2028: incidenthantering, upphandling och leverantörer" in facts
    maturity = sections["infosakkollen"].items
    chart = next(i for i in maturity if isinstance(i, Chart))
    assert [r[0] for r in chart.table.rows] == [
        "Ledningens engagemang och styrning", "Långsiktiga mål och principer",
        "Incidenthantering", "Upphandling och leverantörer"]  # "Samlad nivå" is no area
    said = [i.text for i in maturity if isinstance(i, Paragraph)]
    assert "Resultatet för 2027 visar att vi ligger på nivå noll av fem" in said[0]
    assert next(i for i in maturity if isinstance(i, Bullets)).items == [
        "Incidenthantering", "Upphandling och leverantörer"]
    english_facts = next(i for i in english.sections[0].items if isinstance(i, Bullets)).items
    assert "Infosäkkollen: overall level zero of five (target four)" in english_facts
