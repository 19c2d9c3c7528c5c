"""`arshjul form validate` and `arshjul responses export` through the CLI."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime

from openpyxl import load_workbook
from typer.testing import CliRunner

from cli.main import app
from models import clock, db
from models.cycle.forms import FORMS_DIR
from models.cycle.responses import submit
from models.cycle.tables import Assignment
from tests.language import use_language
from tests.portal.portal_data import seed

runner = CliRunner()


def test_form_validate_ok_and_errors(tmp_path):
    ok = runner.invoke(app, ["form", "validate", str(FORMS_DIR / "riskanalys.yaml")])
    assert ok.exit_code == 0 and "ok: riskanalys: 1 avsnitt, 2 frågor" in ok.output
    bad = tmp_path / "x.yaml"
    bad.write_text("id: x\ntitle: {sv: X}\nsections: []\n", encoding="utf-8")
    result = runner.invoke(app, ["form", "validate", str(bad)])
    assert result.exit_code == 2
    assert "fel: x.yaml:2: title.en: måste anges" in result.output
    assert "fel: x.yaml:3: sections: ska ha minst 1 element" in result.output


def _submitted(store) -> None:
    ids = seed()
    risk = [
        {
            "tillgang": f"T{i}",
            "hot": "annat",
            "sannolikhet": 2,
            "konsekvens": 3,
            "atgard": "=HYPERLINK(1)",
            "ansvarig": "IT",
        }
        for i in range(3)
    ]
    with db.session() as s:
        assignment = s.get(Assignment, ids["riskanalys"])
        submit(
            assignment,
            "riskanalys",
            {"risker": risk, "kommentar": None},
            "anna-berg",
            session=s,
            now=clock.now(),
        )


def test_export_csv_json_xlsx(store, tmp_path):
    _submitted(store)
    out = runner.invoke(app, ["responses", "export", "--step", "riskanalys", "--format", "csv"])
    assert out.exit_code == 0, out.output
    rows = list(csv.DictReader(io.StringIO(out.output)))
    assert [r["risker.tillgang"] for r in rows] == ["T0", "T1", "T2"]
    assert rows[0]["scope"] == "Socialförvaltningen" and rows[0]["rad"] == "1"
    assert rows[0]["risker.atgard"] == "'=HYPERLINK(1)"  # formulas neutralised
    data = json.loads(
        runner.invoke(
            app,
            ["responses", "export", "--step", "riskanalys", "--year", "2027", "--format", "json"],
        ).output
    )
    assert data[0]["answers"]["risker"][2]["tillgang"] == "T2" and data[0]["version"] == 1
    target = tmp_path / "svar.xlsx"
    xlsx = runner.invoke(
        app, ["responses", "export", "--step", "riskanalys", "--format", "xlsx", "-o", str(target)]
    )
    assert xlsx.exit_code == 0, xlsx.output
    sheet = load_workbook(target).active
    header = [c.value for c in sheet[1]]
    # people's words, not field ids: question and column texts, answer labels
    assert header[:7] == ["År", "Steg", "Typ", "Ansvarsområde", "Version", "Inlämnad",
                          "Inlämnad av"]
    assert {"Informationstillgång", "Hot", "Sannolikhet (1–4)", "Föreslagen åtgärd"} <= set(header)
    assert "risker.tillgang" not in header and "scope_kind" not in header
    rows = [dict(zip(header, (c.value for c in row), strict=True))
            for row in sheet.iter_rows(min_row=2)]
    assert len(rows) == 3 and rows[0]["Typ"] == "Förvaltning/enhet"
    assert [r["Hot"] for r in rows] == ["Annat"] * 3 and rows[2]["Informationstillgång"] == "T2"
    assert isinstance(rows[0]["Inlämnad"], datetime)  # a date Excel sorts, in local time
    assert sheet["F2"].number_format == "yyyy-mm-dd hh:mm"
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.b
    assert sheet.auto_filter.ref == sheet.dimensions
    widths = [sheet.column_dimensions[c].width for c in ("A", "D", "I")]
    assert all(8 <= w <= 60 for w in widths)


def test_export_bad_input_exits_2(store):
    from datetime import date

    from models.cycle.tables import StepInstance

    seed()
    with db.session() as s:
        s.add(StepInstance(year=2027, step_id="kontinuitetsovning", key="kontinuitetsovning",
                           title_sv="Övning", title_en="Exercise", phase="anvanda",
                           kind="deadline", audience_role="kontaktperson", audience_per="unit",
                           opens=date(2027, 5, 3), due=date(2027, 6, 30)))
    for args, message in (
        (["--step", "nope"], "fel: --step: inget steg 'nope' (se `arshjul status`)\n"),
        (["--step", "nope", "--year", "2027"], "fel: --step: inget steg 'nope' år 2027 (se "),
        (["--step", "riskanalys", "--format", "pdf"],
         "fel: --format: 'pdf' ska vara en av csv, xlsx, json\n"),
        (["--step", "riskanalys", "--format", "xlsx"],
         "fel: --format xlsx behöver --output FIL\n"),
        (["--step", "kontinuitetsovning"], "fel: --step: 'kontinuitetsovning' har inget "
         "frågeformulär (typ deadline)\n"),
    ):
        result = runner.invoke(app, ["responses", "export", *args])
        assert result.exit_code == 2 and message in result.output


def test_export_bad_input_in_english(store, monkeypatch):
    seed()
    use_language(monkeypatch, "en")
    result = runner.invoke(app, ["responses", "export", "--step", "riskanalys", "--format", "pdf"])
    assert result.exit_code == 2
    assert result.output == "fel: --format: 'pdf' is not one of csv, xlsx, json\n"
    written = runner.invoke(app, ["form", "validate", str(FORMS_DIR / "riskanalys.yaml")])
    assert written.output == "ok: riskanalys: 1 sections, 2 questions\n"


def test_portal_refuses_to_start_with_the_default_key(monkeypatch):
    monkeypatch.delenv("ARSHJUL_SECRET_KEY")
    result = runner.invoke(app, ["portal", "--port", "0"])
    assert result.exit_code == 2
    assert "fel: ARSHJUL_SECRET_KEY: saknas eller har standardvärdet" in result.output
