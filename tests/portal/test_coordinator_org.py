"""Organisation editing over the app: add a person, replace a contact (the next reminder goes to
the new one, the audit log shows the change), deactivate, bad input, and the YAML export."""

from __future__ import annotations

import yaml

from tests.portal.coordinator_data import LATE_STEP, csrf_in


def _add_gun(web):
    page = web.get("/organisation")
    return web.post("/organisation/ny", data={
        "csrf": csrf_in(page.text), "id": "gun-ny", "name": "Gun Ny",
        "email": "gun.ny@example.se", "roles": ""})


def test_replace_contact_then_remind_goes_to_the_new_one(web, smtp_sink, late):
    assert _add_gun(web).status_code == 303
    page = web.get("/organisation")
    replaced = web.post("/organisation/ersatt", data={
        "csrf": csrf_in(page.text), "role": "kontaktperson@socialforvaltningen",
        "person": "gun-ny"})
    assert replaced.status_code == 303
    log = web.get("/organisation").text
    assert "contact-replace kontaktperson@socialforvaltningen" in log
    assert "holders: anna-berg, bo-ek → gun-ny" in log and "Dan Samordnare" in log
    step = web.get(f"/oversikt/steg/{LATE_STEP}?ar=2027")
    assert "gun.ny@example.se" in step.text
    before = len(smtp_sink.messages)
    web.post(f"/oversikt/paminn/{late['socialforvaltningen']}", data={"csrf": csrf_in(step.text)})
    assert [m["To"] for m in smtp_sink.messages[before:]] == ["gun.ny@example.se"]


def test_edit_deactivate_and_bad_input(web):
    page = web.get("/organisation/person/bo-ek")
    csrf = csrf_in(page.text)
    saved = web.post("/organisation/person/bo-ek", data={
        "csrf": csrf, "action": "save", "name": "Bo Ek", "email": "bo.ek@example.se"})
    assert saved.status_code == 303
    bad = web.post("/organisation/person/bo-ek", data={
        "csrf": csrf, "action": "save", "name": "Bo Ek", "email": "anna-berg@example.se"})
    assert bad.status_code == 422 and "används redan av anna-berg" in bad.text
    role = web.post("/organisation/person/bo-ek", data={
        "csrf": csrf, "action": "add-role", "role": "chef@nowhere"})
    assert role.status_code == 422 and "okänd förvaltning &#39;nowhere&#39;" in role.text
    off = web.post("/organisation/person/bo-ek", data={"csrf": csrf, "action": "deactivate"})
    assert off.status_code == 303
    log = web.get("/organisation").text
    assert "email: bo-ek@example.se → bo.ek@example.se" in log
    assert "active: True → False" in log
    assert "Bo Ek</a> (inaktiverad)" in log


def test_export_is_the_file_org_import_reads(web, tmp_path):
    _add_gun(web)
    response = web.get("/organisation/export.yaml")
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    doc = yaml.safe_load(response.text)
    ids = [p["id"] for p in doc["people"]]
    assert "gun-ny" in ids and doc["organisation"]["name"] == "Provkommun"
    from models.org_import import read_org_file

    path = tmp_path / "org.yaml"
    path.write_text(response.text, encoding="utf-8")
    assert {p.id for p in read_org_file(path).people} == set(ids)
