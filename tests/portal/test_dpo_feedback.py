"""The DPO's feedback per board and the board's decision, both through the portal, both in the
report's Dataskydd section."""

from __future__ import annotations

import re
from datetime import date

from fastapi.testclient import TestClient

from models import db
from models.cycle.answers import raw_from_values
from models.cycle.forms import get_form
from models.links import make_token
from models.report.build import build_report
from models.report.content import Table
from models.settings import get_settings
from tests.engine_data import assignment, local, seed
from tests.models.report.report_year_data import walk

SECRET = "dpo-feedback-secret-0123456789abcdef"


def _submit(client, token: str, form_id: str, values: dict) -> str:
    page = client.get(f"/a/{token}").text
    fields = raw_from_values(get_form(form_id), values)
    fields |= {"csrf": re.search(r'name="csrf" value="([^"]+)"', page)[1], "action": "submit"}
    done = client.post(f"/a/{token}", data=fields, headers={"Origin": "http://testserver"})
    assert done.status_code == 303 and done.headers["location"].endswith("/kvitto"), done.text
    return page


def test_feedback_and_decision_reach_the_report(store, monkeypatch):
    from portal.app import create_app

    monkeypatch.setenv("ARSHJUL_SECRET_KEY", SECRET)
    monkeypatch.setenv("ARSHJUL_NOW", local(2027, 12, 2, 9).isoformat())
    get_settings.cache_clear()
    seed(2027)
    to_dpo = make_token("eva", assignment("dpo-aterkoppling", "").id, local(2028, 6, 1, 0),
                        secret=SECRET)
    to_contact = make_token("cecilia", assignment("namndbeslut-dataskydd", "socialnamnden").id,
                            local(2028, 6, 1, 0), secret=SECRET)
    with TestClient(create_app(), follow_redirects=False) as client:
        dpo_page = _submit(client, to_dpo, "dpo-aterkoppling", {"namnder": [
            {"namnd": "Socialnämnden", "aterkoppling": "Registerförteckningen är ofullständig.",
             "atgarder": "Komplettera förteckningen."},
            {"namnd": "Kommunstyrelsen", "aterkoppling": "Inga anmärkningar."}]})
        assert "Formuläret börjar med organisationens 2 nämnder" in dpo_page
        assert 'value="Kommunstyrelsen"' in dpo_page and 'value="Socialnämnden"' in dpo_page
        monkeypatch.setenv("ARSHJUL_NOW", local(2028, 2, 16, 9).isoformat())
        get_settings.cache_clear()
        board_page = _submit(client, to_contact, "namndbeslut-dataskydd", {
            "datum": "2028-02-15", "paragraf": "12", "beslut": "Uppdrar åt förvaltningen."})
        assert "Dataskyddsombudets återkoppling: Registerförteckningen är ofullständig." in (
            board_page)
    with db.session() as s:
        report = build_report(2027, session=s, today=date(2028, 2, 20))
    dpo = next(sec for sec in walk(report.sections) if sec.id == "dpo")
    table = next(i for i in dpo.items if isinstance(i, Table) and i.caption.startswith("Åter"))
    assert table.rows == [
        ["Kommunstyrelsen", "Inga anmärkningar.", "", "Ej behandlat ännu"],
        ["Socialnämnden", "Registerförteckningen är ofullständig.", "Komplettera förteckningen.",
         "15 februari 2028, § 12: Uppdrar åt förvaltningen."]]
