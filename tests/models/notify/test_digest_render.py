"""Digests read exactly as before: subject, text and HTML of every kind of message, in Swedish
and English, against what the renderer wrote before its texts were translated once per digest
(digest_render_expected.json; since then one deliberate change: a digest without links no longer
says that its links are personal).

After a deliberate change of a digest's wording or layout, rewrite the expected file with
`PYTHONPATH=. python tests/models/notify/test_digest_render.py --write` and review its diff.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace

from models import links
from models.notify import digest, kinds

EXPECTED = Path(__file__).with_name("digest_render_expected.json")
NOW = datetime(2027, 11, 18, 7, 0, tzinfo=UTC)
TODAY = date(2027, 11, 18)
ANNA = digest.Recipient("anna", "anna@example.se", "Anna Berg")


def _payload(n: int, **extra) -> dict:
    return {"title": {"sv": f"Riskanalys {n}", "en": f"Risk analysis {n}"},
            "purpose": {"sv": "Bedöm riskerna & åtgärda dem.", "en": "Assess the risks."},
            "due": f"2027-11-{10 + n:02d}", "scope": f"Förvaltning {n}",
            "link": {"kind": links.ASSIGNMENT, "subject": str(n),
                     "until": "2028-01-14T23:00:00+00:00"}, **extra}


def _row(n: int, kind: str, subject: str = "", **extra):
    return SimpleNamespace(id=n, kind=kind, subject=subject or f"s{n}",
                           payload=_payload(n, **extra))


def _variants() -> list[tuple[str, digest.Recipient, list, str]]:
    """(label, recipient, rows, organisation): one item of every kind, then mixed digests."""
    one = [(f"one {k or 'unknown'}", ANNA, [_row(1, k)], "Regionen") for k in
           [*kinds.KINDS, "unknown-kind"]]
    every = [_row(i, k) for i, k in enumerate(kinds.KINDS, start=1)]
    late = [_row(20, kinds.ESCALATION, waiting=["Gustav Holm", "Ann O'Neil"],
                 scope="Kultur & fritid"),
            _row(21, kinds.ESCALATION, scope=None, waiting=[], purpose={}),
            _row(22, kinds.INCIDENT_ALERT, due="2027-11-18T16:00+01:00",
                 link={"kind": links.INCIDENT_REPORT, "subject": "u7"}),
            _row(23, kinds.RECEIPT, due=None, link=None, url="https://example.se/kvitto",
                 note={"sv": "Tack för svaret.", "en": "Thanks."}),
            _row(24, kinds.REMINDER, due="2027-11-19", scope="Regionen"),
            _row(25, kinds.REMINDER, due="2027-11-17"),
            _row(26, kinds.INVITATION, due="2027-12-24", title={"sv": "GDPR-översyn"})]
    unit = digest.Recipient("unit:u7", "", "Förvaltning 7", ["json://x"], person=False)
    return [*one, ("every kind", ANNA, every, "Regionen"),
            ("late, deadlines, notes", ANNA, late, "Regionen"),
            ("no organisation, no name", digest.Recipient("bo", "bo@example.se"), late, ""),
            ("one item, no organisation", ANNA, [_row(3, kinds.REMINDER)], ""),
            ("one item for the organisation", ANNA, [_row(4, kinds.REMINDER, scope="Regionen")],
             "Regionen"),
            ("superseded invitation", ANNA, [_row(5, kinds.INVITATION, "a5"),
                                             _row(6, kinds.REMINDER, "a5")], "Regionen"),
            ("a unit's channels", unit, late[:3], "Regionen"),
            # a register review reminder has no link: the footer says nothing of links
            ("no link", ANNA, [_row(30, kinds.REGISTER_REVIEW, link=None, due="2027-12-15")],
             "Regionen")]


def rendered() -> dict[str, dict[str, str]]:
    """Every variant in both languages, with links signed the same way every time."""
    links.make_subject_token = lambda kind, subject, person, expires: (
        f"{kind}.{subject}.{person}.{expires:%Y%m%d}")
    links.portal_url = lambda token, kind: f"https://portal.example.se/{kind}/{token}"
    out = {}
    for label, recipient, rows, organisation in _variants():
        for lang in ("sv", "en"):
            d = digest.render(recipient, rows, lang=lang, now=NOW, domain="example.se",
                              organisation=organisation, today=TODAY)
            out[f"{label} ({lang})"] = {"subject": d.subject, "text": d.text, "html": d.html,
                                        "rows": d.row_ids, "superseded": d.superseded}
    return out


def test_every_digest_reads_as_before(monkeypatch):
    monkeypatch.setattr(links, "make_subject_token", links.make_subject_token)
    monkeypatch.setattr(links, "portal_url", links.portal_url)
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    got = rendered()
    assert sorted(got) == sorted(expected)
    for label in expected:
        for part in ("subject", "text", "html", "rows", "superseded"):
            assert got[label][part] == expected[label][part], f"{label}: {part}"


def test_only_a_digest_with_links_says_they_are_personal(monkeypatch):
    monkeypatch.setattr(links, "make_subject_token", links.make_subject_token)
    monkeypatch.setattr(links, "portal_url", links.portal_url)
    got = rendered()
    for lang, line in (("sv", "Länkarna är personliga"), ("en", "The links are personal")):
        assert line not in got[f"no link ({lang})"]["text"]
        assert line not in got[f"no link ({lang})"]["html"]
        assert line in got[f"every kind ({lang})"]["text"]
        assert line in got[f"every kind ({lang})"]["html"]


if __name__ == "__main__" and "--write" in sys.argv:
    EXPECTED.write_text(json.dumps(rendered(), ensure_ascii=False, indent=1) + "\n",
                        encoding="utf-8")
