"""The report's HTML as a board member sees it in a browser at 1280 px (headless Chromium):
no sideways scrolling (the Dataskydd table with its seven columns fits), and no chart label
cut off (every text of every chart inside its SVG's viewBox). Screenshot in test-artifacts/."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date

import pytest

from models import db
from models.report.build import build_report
from models.report.render import render
from models.settings import ROOT
from tests.cli.test_demo_answers import _answer_everything

BROWSER_DIR = ROOT / "tests" / "portal" / "browser"
ARTIFACTS = ROOT / "test-artifacts"
DESKTOP = 1280


@pytest.mark.slow
def test_the_report_fits_1280_px_and_no_chart_text_is_cut(sqlite_store, tmp_path):
    assert shutil.which("node") and (BROWSER_DIR / "node_modules" / "playwright-core").exists()
    _answer_everything(seed=2027)  # every form answered as the demo's contacts would
    with db.session() as s:
        report = build_report(2027, session=s, today=date(2027, 12, 20))
    html = tmp_path / "arsrapport-2027.html"
    html.write_bytes(render(report, "html"))
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report-1280.png"
    config = {"url": html.as_uri(), "screenshot": str(shot), "width": DESKTOP,
              "profile": str(tmp_path / "profile")}
    (tmp_path / "config.json").write_text(json.dumps(config), encoding="utf-8")
    run = subprocess.run(["node", "report.mjs", str(tmp_path / "config.json")], cwd=BROWSER_DIR,
                         capture_output=True, text=True, timeout=240)
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert result["innerWidth"] == DESKTOP
    assert result["scrollWidth"] <= result["innerWidth"], result["widest"]
    # every table whole on the page: none wider than the page nor scrolling in its own box
    assert [t["caption"] for t in result["tables"] if t["right"] > DESKTOP or t["hidden"] > 0] \
        == []
    assert any(t["caption"] == "Dataskydd" for t in result["tables"])
    assert len(result["charts"]) >= 2  # the Infosäkkollen bars and the risk matrix (and wheel)
    for chart in result["charts"]:
        assert chart["texts"] > 0 and chart["outside"] == [], chart
    assert shot.stat().st_size > 20_000
