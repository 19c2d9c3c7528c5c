"""Headless Chromium (Debian's /usr/bin/chromium via playwright-core) on a real portal server.

Fills in and submits the risk analysis with three rows (screenshots in test-artifacts/), checks
the error summary moves focus to the field, runs axe-core on every page type (no serious or
critical violations) and checks that the server log holds no token and no answer.
Needs `npm ci --prefix tests/portal/browser` (run by .ci/run).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date

import pytest

from models import db
from models.cycle.tables import Assignment, StepInstance
from models.settings import ROOT
from tests.portal.portal_data import NOW, SECRET, link, seed
from tests.portal.portal_server import running_portal

BROWSER_DIR = ROOT / "tests" / "portal" / "browser"
ARTIFACTS = ROOT / "test-artifacts"


def _closed_assignment() -> int:
    with db.session() as s:
        step = StepInstance(
            year=2027,
            step_id="kontinuitetsovning",
            key="kontinuitetsovning",
            title_sv="Övning",
            title_en="Exercise",
            phase="anvanda",
            kind="deadline",
            form="kvittens",
            audience_role="kontaktperson",
            audience_per="unit",
            opens=date(2027, 5, 1),
            due=date(2027, 6, 30),
        )
        s.add(step)
        s.flush()
        assignment = Assignment(
            step_instance_id=step.id, scope_kind="unit", scope_id="socialforvaltningen"
        )
        s.add(assignment)
        s.flush()
        return assignment.id


def _pages(ids: dict[str, int], closed: int) -> list[dict]:
    forms = [
        {"name": f"form:{form}", "path": link(aid, person=person), "status": 200}
        for form, aid in ids.items()
        for person in ["dan-samordnare" if form == "infosakkollen" else "anna-berg"]
    ]
    return forms + [
        {
            "name": "errors",
            "path": link(ids["kvittens"]),
            "status": 422,
            "submitEmpty": "Skicka in",
        },
        {"name": "read-only", "path": link(closed), "status": 200},
        {"name": "expired", "path": link(ids["kvittens"], days=-1), "status": 410},
        {"name": "invalid", "path": "/a/not-a-token", "status": 403},
        {"name": "denied", "path": link(ids["kvittens"], person="cia-lund"), "status": 403},
        {"name": "not-found", "path": "/nowhere", "status": 404},
        {"name": "cross-site", "path": link(ids["kvittens"]), "status": 403, "mutate": "drop-csrf"},
        {"name": "too-large", "path": link(ids["kvittens"]), "status": 413, "mutate": "too-large"},
    ]


@pytest.mark.slow
def test_risk_analysis_in_chromium_and_axe_on_every_page(sqlite_store, tmp_path):
    assert shutil.which("node") and (BROWSER_DIR / "node_modules" / "playwright-core").exists(), (
        "run `npm ci --prefix tests/portal/browser` first"
    )
    ids = seed()
    closed = _closed_assignment()
    ARTIFACTS.mkdir(exist_ok=True)
    env = {
        "ARSHJUL_DATABASE_URL": sqlite_store,
        "ARSHJUL_SECRET_KEY": SECRET,
        "ARSHJUL_NOW": NOW.isoformat(),
    }
    log = tmp_path / "portal.log"
    with running_portal(env, log) as portal:
        config = {
            "base": portal.url,
            "artifacts": str(ARTIFACTS),
            "profile": str(tmp_path / "profile"),
            "risk": link(ids["riskanalys"]),
            "pages": _pages(ids, closed),
        }
        (tmp_path / "config.json").write_text(json.dumps(config), encoding="utf-8")
        run = subprocess.run(
            ["node", "run.mjs", str(tmp_path / "config.json")],
            cwd=BROWSER_DIR,
            capture_output=True,
            text=True,
            timeout=240,
        )
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    (ARTIFACTS / "portal-axe.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    for page in result["pages"]:
        expected = next(p for p in config["pages"] if p["name"] == page["name"])
        assert page["status"] == expected["status"], page
        assert page["lang"] == "sv"
        bad = [v for v in page["violations"] if v["impact"] in ("serious", "critical")]
        assert not bad, (page["name"], bad)
    risk = result["risk"]
    assert risk["heading"] == "Tack! Svaren är inskickade" and risk["rows"] == 3
    assert not [v for v in risk["violations"] if v["impact"] in ("serious", "critical")]
    summary = result["summary"]
    assert summary["summaryFocused"] and summary["kept"] == "Bara en rad"
    assert summary["focusedAfterClick"] == summary["target"]
    assert (ARTIFACTS / "portal-riskanalys-receipt.png").stat().st_size > 10_000
    server_log = log.read_text(errors="replace")
    token = config["risk"].removeprefix("/a/")
    for secret in (token, token.split(".")[1], "Journalarkiv", "Kontinuitetsplan"):
        assert secret not in server_log
