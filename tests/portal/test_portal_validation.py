"""Every question type over HTTP, and every validation error coming back with the input intact."""

from __future__ import annotations

import re

from tests.portal.portal_data import link
from tests.portal.test_portal_answering import RISK_ROWS, post, risk_data, versions

DPO_OK = {
    "org_finns": "yes",
    "org_funktioner": ["dataskyddskontakt", "jurist"],
    "org_beskrivning": "Ett nätverk av kontakter",
    "register_finns": "no",
    "register_uppdaterat": "2027-05-31",
    "register_antal": "1 250",
    "rattslig_grund": "Myndighetsutövning",
    "samtycke": "ibland",
    "incident_rutin": "yes",
    "rattigheter_rutiner": ["registerutdrag", "radering"],
    "kb_identifiera": "4",
    "kb_process": "Mall från IMY",
}


def summary_targets(html: str) -> list[str]:
    block = html.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    return re.findall(r'href="#([^"]+)"', block)


def test_every_plain_type_is_stored_typed(client, seeded):
    aid = seeded["dpo-efterlevnadskontroll"]
    assert post(client, link(aid), DPO_OK).status_code == 303
    values = versions(aid)[0].values
    assert values["org_finns"] is True and values["register_finns"] is False  # yesno
    assert values["samtycke"] == "ibland"  # choice
    assert values["org_funktioner"] == ["dataskyddskontakt", "jurist"]  # multi
    assert values["kb_identifiera"] == 4  # scale
    assert values["register_antal"] == 1250 and values["incident_antal"] is None  # number
    assert values["register_uppdaterat"] == "2027-05-31"  # date
    assert values["kb_process"] == "Mall från IMY"  # text


def test_number_not_collected_and_scale(client, seeded):
    aid = seeded["incidentstatistik"]
    data = {
        "ddos_skydd_aktiverat": "13",
        "natfiske_forsok": "650,5",
        "personell_incidenter__not_collected": "1",
    }
    assert post(client, link(aid), data).status_code == 303
    values = versions(aid)[0].values
    assert values["ddos_skydd_aktiverat"] == 13 and values["natfiske_forsok"] == 650.5
    assert values["personell_incidenter"] == "not_collected" and values["intrang"] is None
    page = client.get(link(aid)).text
    assert re.search(r'name="personell_incidenter__not_collected" value="1" checked', page)


def test_required_and_format_errors_keep_every_input(client, seeded):
    aid = seeded["dpo-efterlevnadskontroll"]
    bad = DPO_OK | {
        "org_finns": "",
        "register_antal": "ungefär tusen",
        "register_uppdaterat": "31/5",
        "kb_identifiera": "9",
        "samtycke": "kanske",
        "org_beskrivning": "x" * 4001,
        "rattslig_grund": "",
    }
    page = post(client, link(aid), bad)
    assert page.status_code == 422
    html = page.text
    assert "<title>Fel: " in html and 'role="alert"' in html
    errors = {
        "f-org_finns-0": "Svara på frågan.",
        "f-register_antal": "Ange ett tal, till exempel 12.",
        "f-register_uppdaterat": "Ange ett datum som ÅÅÅÅ-MM-DD",
        "f-kb_identifiera-0": "Välj ett värde från 1 till 5.",
        "f-samtycke-0": "Välj ett av alternativen.",
        "f-org_beskrivning": "Texten får vara högst 4000 tecken.",
        "f-rattslig_grund": "Svara på frågan.",
    }
    assert sorted(summary_targets(html)) == sorted(errors)
    for target, message in errors.items():
        assert message in html
        assert f'id="{target}"' in html  # every summary link lands on a field
    assert 'value="ungefär tusen"' in html and 'value="31/5"' in html
    assert "x" * 4001 in html and 'aria-invalid="true"' in html
    assert 'value="jurist" checked' in html  # the ticked boxes are still ticked
    assert versions(aid) == []


def test_number_range_and_both_number_and_not_collected(client, seeded):
    page = post(
        client,
        link(seeded["incidentstatistik"]),
        {"intrang": "-1", "natfiske_lyckade": "6", "natfiske_lyckade__not_collected": "1"},
    )
    assert page.status_code == 422
    assert "Ange ett tal från 0 till 1000000." in page.text
    assert "Ange antingen ett antal eller markera ”inte insamlad”, inte båda." in page.text
    assert (
        'name="intrang" value="-1"' in page.text
        and 'name="natfiske_lyckade" value="6"' in page.text
    )


def test_table_min_rows_and_cell_errors_keep_the_rows(client, seeded):
    aid = seeded["riskanalys"]
    rows = [list(RISK_ROWS[0]), list(RISK_ROWS[1])]
    rows[1][1] = ""  # threat missing in row 2
    rows[1][2] = "7"  # likelihood out of scale
    page = post(client, link(aid), risk_data(rows))
    assert page.status_code == 422
    assert "Fyll i minst 3 rader." in page.text
    assert set(summary_targets(page.text)) == {
        "f-risker__0__tillgang",
        "f-risker__1__hot",
        "f-risker__1__sannolikhet",
    }
    assert "Rad 2: Hot: Svara på frågan." in page.text
    assert 'value="Journalarkiv"' in page.text and 'value="Treserva' not in page.text
    assert 'value="Verksamhetssystem Treserva"' in page.text
    assert versions(aid) == []


def test_yesno_date_and_text_of_the_receipt_form(client, seeded):
    aid = seeded["kvittens"]
    assert post(client, link(aid), {"datum": "2027-13-01"}).status_code == 422
    assert (
        post(
            client, link(aid), {"genomfort": "yes", "datum": "2027-09-30", "kommentar": "  Klart  "}
        ).status_code
        == 303
    )
    assert versions(aid)[0].values == {
        "genomfort": True,
        "datum": "2027-09-30",
        "kommentar": "Klart",
    }


def test_scales_and_multi_of_the_maturity_form(client, seeded):
    from models.cycle.forms import get_form

    aid = seeded["infosakkollen"]
    form = get_form("infosakkollen")
    data = {q.id: "2" for q in form.questions if q.type == "scale"}
    data["fokusomraden"] = ["incidenthantering", "upphandling", "sakerhetskultur"]
    assert post(client, link(aid, person="dan-samordnare"), data).status_code == 303
    values = versions(aid)[0].values
    assert values["total_niva"] == 2
    assert values["fokusomraden"] == ["incidenthantering", "upphandling", "sakerhetskultur"]


def test_draft_with_format_error_is_saved_and_flagged(client, seeded):
    aid = seeded["kvittens"]
    page = post(client, link(aid), {"datum": "igår"}, action="save")
    assert page.status_code == 422 and "Utkastet är sparat." in page.text
    assert 'value="igår"' in client.get(link(aid)).text
