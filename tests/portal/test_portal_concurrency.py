"""Simultaneous submissions of one assignment on a real server: every one lands as a version."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.portal.portal_data import NOW, SECRET, csrf_of, link, seed
from tests.portal.portal_server import running_portal
from tests.portal.test_portal_answering import risk_data, versions


@pytest.mark.slow
def test_simultaneous_submissions_all_become_versions(store, tmp_path):
    ids = seed()
    path = link(ids["riskanalys"])
    env = {
        "ARSHJUL_DATABASE_URL": store,
        "ARSHJUL_SECRET_KEY": SECRET,
        "ARSHJUL_NOW": NOW.isoformat(),
    }
    with running_portal(env, tmp_path / "portal.log") as portal:
        csrf = csrf_of(httpx.get(portal.url + path).text)
        data = {**risk_data(), "csrf": csrf, "action": "submit"}

        def submit(_):
            return httpx.post(portal.url + path, data=data, timeout=30).status_code

        with ThreadPoolExecutor(8) as pool:
            codes = list(pool.map(submit, range(8)))
    log = (tmp_path / "portal.log").read_text(errors="replace")
    assert codes == [303] * 8, log[-3000:]
    assert [v.version for v in versions(ids["riskanalys"])] == list(range(1, 9))
