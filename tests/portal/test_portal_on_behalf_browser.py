"""The chef's "answer in the contact's place" in headless Chromium on a real portal server, with
axe-core on every page on the way and on the other pages a message's link opens (own campaign
progress, a unit's completion, the 403 and 410 pages): no serious or critical violations."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from sqlmodel import select

from models import db, links
from models.cycle.responses import ResponseVersion
from models.settings import ROOT
from tests.portal import recipients_data as r
from tests.portal.portal_server import running_portal

BROWSER_DIR = ROOT / "tests" / "portal" / "browser"
ARTIFACTS = ROOT / "test-artifacts"


def _pages(ids: dict, aid: int) -> list[dict]:
    people = ids["people"]
    return [
        {"name": "own-training", "path": r.path(links.CAMPAIGN, ids["training"], people["erik"]),
         "status": 200},
        {"name": "own-drive", "path": r.path(links.CAMPAIGN, ids["drive"], people["ebba"]),
         "status": 200},
        {"name": "unit-after-deadline",
         "path": r.path(links.CAMPAIGN_UNIT, f"{ids['drive']}:socialforvaltningen", "bo"),
         "status": 200},
        {"name": "denied", "path": r.path(links.ASSIGNMENT, aid, "gustav"), "status": 403},
        {"name": "expired", "path": r.path(links.ASSIGNMENT, aid, "anna", days=-1),
         "status": 410},
    ]


@pytest.mark.slow
def test_a_chef_answers_in_the_contacts_place_in_chromium_with_axe(sqlite_store, smtp_sink,
                                                                    tmp_path):
    assert shutil.which("node") and (BROWSER_DIR / "node_modules" / "playwright-core").exists(), (
        "run `npm ci --prefix tests/portal/browser` first"
    )
    ids = r.seed_year()
    aid = r.assignment_id("kontinuitetsovning", "socialforvaltningen")  # a kvittens step, still open
    ARTIFACTS.mkdir(exist_ok=True)
    with running_portal(r.env(sqlite_store, smtp_sink.url), tmp_path / "portal.log") as portal:
        config = {"base": portal.url, "artifacts": str(ARTIFACTS),
                  "profile": str(tmp_path / "profile"),
                  "overview": r.path(links.ASSIGNMENT, aid, "bo"), "pages": _pages(ids, aid)}
        (tmp_path / "config.json").write_text(json.dumps(config), encoding="utf-8")
        run = subprocess.run(["node", "on_behalf.mjs", str(tmp_path / "config.json")],
                             cwd=BROWSER_DIR, capture_output=True, text=True, timeout=240)
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    (ARTIFACTS / "portal-on-behalf-axe.json").write_text(json.dumps(result, indent=2))
    steps = result["onBehalf"]["steps"]
    assert [s["name"] for s in steps] == ["overview", "form-on-behalf", "receipt",
                                          "overview-after"]
    assert steps[2]["heading"] == "Tack! Svaren är inskickade"
    assert "Bo Test (i kontaktpersonens ställe)" in result["onBehalf"]["history"]
    expected = {p["name"]: p["status"] for p in config["pages"]}
    for page in steps + result["pages"]:
        assert page["status"] == expected.get(page["name"], 200), page
        assert page["lang"] == "sv"
        bad = [v for v in page["violations"] if v["impact"] in ("serious", "critical")]
        assert not bad, (page["name"], bad)
    with db.session() as s:
        [version] = s.exec(select(ResponseVersion).where(ResponseVersion.assignment_id == aid))
    assert version.on_behalf and version.submitted_by == "bo"
    assert version.values["kommentar"] == "Klart, kontaktpersonen är sjuk."
