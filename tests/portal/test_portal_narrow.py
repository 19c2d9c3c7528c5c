"""Every portal page on a phone (390 px wide, headless Chromium): no sideways scrolling
(`scrollWidth <= innerWidth`), tables as stacked rows; screenshots in test-artifacts/."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from models import clock, db
from models.cycle.responses import submit
from models.cycle.tables import Assignment
from tests.portal.portal_data import NOW, SECRET, link, seed
from tests.portal.portal_server import running_portal
from tests.portal.test_portal_browser import ARTIFACTS, BROWSER_DIR, _closed_assignment, _pages

PHONE = 390
RISKS = [{"tillgang": name, "hot": "informationsforlust", "sannolikhet": 3, "konsekvens": 4,
          "atgard": "Behörighetsöversyn två gånger per år och loggning av all åtkomst",
          "ansvarig": "Systemförvaltare för verksamhetssystemet"}
         for name in ("Verksamhetssystem för ärendehandläggning", "Journalarkiv", "Lagringsyta")]


def _submitted_risk_analysis(ids: dict[str, int]) -> str:
    with db.session() as s:
        assignment = s.get(Assignment, ids["riskanalys"])
        submit(assignment, "riskanalys", {"risker": RISKS, "kommentar": None}, "anna-berg",
               session=s, now=clock.now())
    return link(ids["riskanalys"]) + "/kvitto"


@pytest.mark.slow
def test_every_page_fits_a_phone_without_sideways_scrolling(sqlite_store, tmp_path):
    assert shutil.which("node") and (BROWSER_DIR / "node_modules" / "playwright-core").exists()
    ids = seed()
    pages = [{"name": p["name"].replace(":", "-"), "path": p["path"]}
             for p in _pages(ids, _closed_assignment()) if "mutate" not in p]
    pages.append({"name": "receipt-riskanalys", "path": _submitted_risk_analysis(ids)})
    ARTIFACTS.mkdir(exist_ok=True)
    env = {"ARSHJUL_DATABASE_URL": sqlite_store, "ARSHJUL_SECRET_KEY": SECRET,
           "ARSHJUL_NOW": NOW.isoformat()}
    with running_portal(env, tmp_path / "portal.log") as portal:
        config = {"base": portal.url, "artifacts": str(ARTIFACTS), "width": PHONE,
                  "profile": str(tmp_path / "profile"), "pages": pages}
        (tmp_path / "config.json").write_text(json.dumps(config), encoding="utf-8")
        run = subprocess.run(["node", "narrow.mjs", str(tmp_path / "config.json")],
                             cwd=BROWSER_DIR, capture_output=True, text=True, timeout=240)
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert len(result) == len(pages)
    assert {page["innerWidth"] for page in result} == {PHONE}
    assert not [(p["name"], p["scrollWidth"], p["widest"]) for p in result
                if p["scrollWidth"] > p["innerWidth"]]
    for page in result:
        assert (ARTIFACTS / f"portal-390-{page['name']}.png").stat().st_size > 5_000
