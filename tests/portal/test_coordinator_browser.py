"""The coordinator's web view in headless Chromium (Debian's /usr/bin/chromium via playwright-core)
on a real portal server, with the sign-in links read from a real SMTP server on loopback.

Signs in with the mailed link, sees the late assignment with its contact, presses "Påminn nu"
twice (one message per contact), replaces a contact (the next reminder goes to the new one, the
audit log shows it), signs out; a chef cannot open another unit; a used and an expired link are
refused; OpenID Connect sign-in against a real provider on loopback (pyop). axe-core on every
page (no serious or critical violation), screenshots at 1280 and 390 px in test-artifacts/, and
no sideways scroll at 390 px.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
from datetime import timedelta

import pytest

from models import db
from models.coordinator.signin import digest
from models.coordinator.tables import SignInLink
from models.settings import ROOT
from tests.oidc_provider import running_provider
from tests.portal.coordinator_data import (
    LATE_STEP,
    seed_answer,
    seed_campaign,
    seed_coordination,
    seed_incident,
)
from tests.portal.portal_data import NOW, SECRET
from tests.portal.portal_server import free_port, running_portal
from tests.smtp_sink import text_of

BROWSER_DIR = ROOT / "tests" / "portal" / "browser"
ARTIFACTS = ROOT / "test-artifacts"
EXPIRED = "expired-sign-in-link-0123456789abcdefghijklmn"


class Mailbox:
    """Writes the sink's messages (recipient and text) to a file the browser script polls."""

    def __init__(self, sink, path):
        self.sink, self.path, self.done = sink, path, threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        written = -1
        while not self.done.wait(0.05):
            messages = list(self.sink.messages)
            if len(messages) != written:
                mails = [{"to": m["To"], "body": text_of(m)} for m in messages]
                tmp = self.path.with_suffix(".tmp")
                tmp.write_text(json.dumps(mails), encoding="utf-8")
                tmp.replace(self.path)
                written = len(messages)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.done.set()
        self.thread.join()


def _seed() -> dict:
    data = seed_coordination()
    seed_answer(data["forms"]["kvittens"], "Klart i tid")
    with db.session() as s:
        s.add(SignInLink(token_hash=digest(EXPIRED), person_id="dan-samordnare",
                         created_at=NOW - timedelta(hours=1),
                         expires_at=NOW - timedelta(minutes=45)))
    return {**data, "incident": seed_incident(), "campaign": seed_campaign()}


def _pages(data: dict) -> list[list]:
    return [
        ["/oversikt/enhet/socialforvaltningen", "unit", 200],
        [f"/svar/{data['forms']['kvittens']}", "answer", 200],
        ["/organisation/person/anna-berg", "person", 200],
        ["/incidenter", "incidents", 200],
        [f"/incidenter/{data['incident']}", "incident", 200],
        ["/kampanjer", "campaigns", 200],
        [f"/kampanjer/{data['campaign']}", "campaign", 200],
    ]


def _run(config: dict, tmp_path) -> dict:
    (tmp_path / "config.json").write_text(json.dumps(config), encoding="utf-8")
    run = subprocess.run(["node", "coordinator.mjs", str(tmp_path / "config.json")],
                         cwd=BROWSER_DIR, capture_output=True, text=True, timeout=400)
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout)


@pytest.mark.slow
def test_coordinator_in_chromium(sqlite_store, smtp_sink, tmp_path):
    assert shutil.which("node") and (BROWSER_DIR / "node_modules" / "playwright-core").exists(), (
        "run `npm ci --prefix tests/portal/browser` first"
    )
    data = _seed()
    ARTIFACTS.mkdir(exist_ok=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    users = {"dan": {"email": "dan-samordnare@example.se"}}
    env = {"ARSHJUL_DATABASE_URL": sqlite_store, "ARSHJUL_SECRET_KEY": SECRET,
           "ARSHJUL_NOW": NOW.isoformat(), "ARSHJUL_SMTP_URL": smtp_sink.url,
           "ARSHJUL_PORTAL_URL": base}
    config = {"oidcUser": "dan", "artifacts": str(ARTIFACTS), "profile": str(tmp_path / "profile"),
              "mailbox": str(tmp_path / "mailbox.json"), "coordinator": "dan-samordnare@example.se",
              "chef": "eva-chef@example.se", "expired": f"/logga-in/{EXPIRED}",
              "lateTitle": "Kontinuitetsplan", "lateKey": LATE_STEP, "pages": _pages(data)}
    with running_provider(users, f"{base}/logga-in/oidc/svar", tmp_path) as op:
        env |= {"ARSHJUL_OIDC_ISSUER": op.issuer, "ARSHJUL_OIDC_CLIENT_ID": op.client_id,
                "ARSHJUL_OIDC_CLIENT_SECRET": op.client_secret, "SSL_CERT_FILE": str(op.ca_file)}
        with running_portal(env, tmp_path / "portal.log", port=port) as portal, \
                Mailbox(smtp_sink, tmp_path / "mailbox.json"):
            result = _run({**config, "base": portal.url}, tmp_path)
    (ARTIFACTS / "coordinator-axe.json").write_text(json.dumps(result, indent=2), "utf-8")
    steps = result["steps"]
    session = next(c for c in steps["cookies"] if c["name"] == "arshjul_samordning")
    assert session["secure"] and session["httpOnly"] and session["sameSite"] == "Lax"
    assert "Anna Berg" in steps["lateRow"] and "anna-berg@example.se" in steps["lateRow"]
    assert "11" in steps["lateRow"]  # days late: due 2027-09-20, today 2027-10-01
    assert steps["remindFirst"] == "Påminnelse skickas till 2 personer."
    assert steps["remindSecond"].startswith("Ingen ny påminnelse")
    to = [m["To"] for m in smtp_sink.messages if "inloggningslänk" not in m["Subject"]]
    assert sorted(to) == ["anna-berg@example.se", "bo-ek@example.se", "gun.ny@example.se"]
    assert "cia-lund@example.se" not in to  # replaced before the reminder
    assert "holders: cia-lund → gun-ny" in steps["audit"] and "Dan Samordnare" in steps["audit"]
    assert steps["remindReplaced"] == "Påminnelse skickas till 1 personer."
    assert steps["afterSignOut"] == "/logga-in"
    assert steps["usedLink"] == 410 and steps["expiredLink"] == 410
    assert (steps["chefOwn"], steps["chefOther"], steps["chefOrg"]) == (200, 403, 403)
    assert steps["oidc"] == "Inloggad som Dan Samordnare"
    for page in result["pages"]:
        assert page["lang"] == "sv", page["name"]
        bad = [v for v in page["violations"] if v["impact"] in ("serious", "critical")]
        assert not bad, (page["name"], bad)
        assert page["sideways"] <= 0, (page["name"], page["sideways"])
    names = {p["name"] for p in result["pages"]}
    assert {"year", "step", "organisation", "answer", "incident", "campaign"} <= names
    assert (ARTIFACTS / "coordinator-year-390.png").stat().st_size > 5_000
    server_log = (tmp_path / "portal.log").read_text(errors="replace")
    assert "logga-in/" not in server_log and "anna-berg@example.se" not in server_log
