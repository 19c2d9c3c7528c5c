"""A register through the command line and the portal: the coordinator adds a row, the unit's
yearly review opens with it, the contact adds one and submits, the register lists and exports both."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from cli.main import app
from models import db
from models.cycle.answers import raw_from_values
from models.cycle.forms import get_form
from models.links import make_token
from models.records.registers import entries
from models.settings import get_settings
from tests.engine_data import assignment, local, seed

SECRET = "register-review-secret-0123456789abcdef"
SOCIAL = "socialforvaltningen"


def _cli(*args: str):
    return CliRunner().invoke(app, list(args))


def test_register_rows_from_cli_and_portal_list_and_export(store, monkeypatch, tmp_path):
    from openpyxl import load_workbook

    from portal.app import create_app

    monkeypatch.setenv("ARSHJUL_SECRET_KEY", SECRET)
    monkeypatch.setenv("ARSHJUL_NOW", local(2027, 2, 2, 9).isoformat())
    get_settings.cache_clear()
    seed(2027)
    added = _cli("register", "add", "molntjanster", "--scope", SOCIAL, "--set", "tjanst=Teams",
                 "--set", "leverantor=Microsoft", "--set", "personuppgifter=ja", "--set",
                 "tredjeland=ja", "--set", "rattslig_grund=scc", "--set", "pub_avtal=ja",
                 "--set", "granskas=2027-11-30")
    assert added.exit_code == 0 and "molntjanster: 'Teams' sparad" in added.output
    review = assignment("molntjanster", SOCIAL)
    token = make_token("anna", review.id, local(2027, 6, 1, 0), secret=SECRET)
    with TestClient(create_app(), follow_redirects=False) as client:
        page = client.get(f"/a/{token}").text
        assert "Formuläret börjar med registret som det ser ut nu (1 rader)" in page
        assert 'value="Teams"' in page
        form = get_form("register-molntjanster")
        rows = [{"tjanst": "Teams", "leverantor": "Microsoft", "personuppgifter": True,
                 "tredjeland": True, "rattslig_grund": "scc", "tia": True, "pub_avtal": True,
                 "granskas": "2027-11-30"},
                {"tjanst": "Skolplattform", "leverantor": "Edu AB", "personuppgifter": True,
                 "tredjeland": False, "pub_avtal": True, "granskas": "2028-01-31"}]
        fields = raw_from_values(form, {"poster": rows})
        fields |= {"csrf": re.search(r'name="csrf" value="([^"]+)"', page)[1], "action": "submit"}
        done = client.post(f"/a/{token}", data=fields, headers={"Origin": "http://testserver"})
        assert done.status_code == 303 and done.headers["location"].endswith("/kvitto")
    with db.session() as s:
        kept = {e.key: (e.source, e.data["tia"]) for e in entries("molntjanster", session=s)}
    assert kept == {"Teams": ("portal", True), "Skolplattform": ("portal", None)}
    listed = _cli("register", "list", "molntjanster", "--format", "csv")
    assert "Socialförvaltningen,Skolplattform,Edu AB,Ja,Nej,,,,Ja,2028-01-31" in listed.output
    out = tmp_path / "moln.xlsx"
    exported = _cli("register", "list", "molntjanster", "--format", "xlsx", "-o", str(out))
    assert exported.exit_code == 0
    sheet = load_workbook(out).active
    assert [c.value for c in sheet[1]][:3] == ["Förvaltning", "Tjänst", "Leverantör"]
    assert sheet.max_row == 3


def test_bad_register_input_exits_2_naming_the_field(store):
    seed(2027)
    result = _cli("register", "add", "behandlingar", "--scope", "socialnamnden",
                  "--set", "behandling=Journalföring", "--set", "rattslig_grund=gissning")
    assert result.exit_code == 2
    assert "fel: --set andamal: Svara på frågan." in result.output
    assert "fel: --set rattslig_grund: Välj ett av alternativen." in result.output
    result = _cli("register", "list", "kassaskap")
    assert result.exit_code == 2 and "fel: REGISTER: 'kassaskap' ska vara en av" in result.output
    with db.session() as s:
        assert entries("behandlingar", session=s) == []
