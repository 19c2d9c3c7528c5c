"""`org import` → export → import changes nothing, and the export is exact on a second round."""

from __future__ import annotations

from models import db
from models.coordinator.org_edit import replace_contact
from models.coordinator.org_export import export_org
from models.org_import import import_org, read_org_file
from models.settings import ROOT
from tests.portal.portal_data import NOW

EXAMPLE = ROOT / "examples" / "alingsas.yaml"


def _people(org) -> dict:
    return {p.id: (p.name, p.email, sorted(p.roles), p.notify) for p in org.people}


def test_export_round_trip_is_exact(store, tmp_path):
    with db.session() as s:
        import_org(EXAMPLE, session=s)
        first = export_org(session=s)
    exported = tmp_path / "export.yaml"
    exported.write_text(first, encoding="utf-8")
    assert _people(read_org_file(exported)) == _people(read_org_file(EXAMPLE))
    assert read_org_file(exported).units == sorted(read_org_file(EXAMPLE).units,
                                                   key=lambda u: u.id)
    with db.session() as s:
        result = import_org(exported, session=s)
        again = export_org(session=s)
    assert result.created == result.updated == result.deactivated == {
        "boards": 0, "units": 0, "people": 0}
    assert again == first


def test_a_replaced_contact_is_in_the_export(store, tmp_path):
    with db.session() as s:
        import_org(EXAMPLE, session=s)
        org = read_org_file(EXAMPLE)
        old = next(p for p in org.people if "kontaktperson@socialforvaltningen" in p.roles)
        new = next(p for p in org.people if p.id != old.id and not p.roles) if any(
            not p.roles for p in org.people) else next(p for p in org.people if p.id != old.id)
        replace_contact("tester", "kontaktperson@socialforvaltningen", new.id, session=s,
                        now=NOW)
        text = export_org(session=s)
    exported = tmp_path / "export.yaml"
    exported.write_text(text, encoding="utf-8")
    people = {p.id: p.roles for p in read_org_file(exported).people}
    assert "kontaktperson@socialforvaltningen" in people[new.id]
    assert "kontaktperson@socialforvaltningen" not in people[old.id]
