"""The xAPI connector against a real LRS (Ralph, own virtualenv) on loopback."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from tasks.connectors.base import ConnectorError
from tasks.connectors.xapi import VERBS, XapiClient
from tests.tasks.lrs_peer import lrs_client, running_lrs

pytestmark = pytest.mark.slow
COURSE = "https://lms.example.se/xapi/activities/informationssakerhet-grund"
OTHER = "https://lms.example.se/xapi/activities/brandskydd"


def statement(email: str, verb: str, activity: str, when: str) -> dict:
    return {"id": str(uuid.uuid4()),
            "actor": {"objectType": "Agent", "mbox": f"mailto:{email}"},
            "verb": {"id": VERBS.get(verb, f"http://adlnet.gov/expapi/verbs/{verb}")},
            "object": {"objectType": "Activity", "id": activity},
            "timestamp": when}


@pytest.fixture(scope="module")
def lrs(tmp_path_factory):
    with running_lrs(tmp_path_factory.mktemp("lrs")) as url:
        client = lrs_client(url)
        headers = {"X-Experience-API-Version": "1.0.3"}
        # several separate POSTs: the stock file backend accepts only the first one
        batches = [
            [statement(f"p{i:03d}@example.se", "completed", COURSE, "2026-09-10T08:00:00+00:00")
             for i in range(130)],
            [statement("passer@example.se", "passed", COURSE, "2026-09-11T08:00:00+00:00"),
             statement("launcher@example.se", "launched", COURSE, "2026-09-11T08:00:00+00:00"),
             statement("other@example.se", "completed", OTHER, "2026-09-11T08:00:00+00:00")],
            [statement("early@example.se", "completed", COURSE, "2026-08-01T08:00:00+00:00")],
        ]
        for batch in batches:
            response = client.post("statements", json=batch, headers=headers)
            assert response.status_code == 200, response.text
        yield url


def test_completions_since_start_for_the_course_only(lrs):
    xapi = XapiClient(lrs_client(lrs), limit=50)
    pages = list(xapi.iter_completions(COURSE, datetime(2026, 9, 1, tzinfo=UTC)))
    emails = [c.email for page in pages for c in page]
    # 130 completions over pages of 50 (Ralph caps pages at 100) plus one pass
    assert sorted(emails) == sorted([f"p{i:03d}@example.se" for i in range(130)]
                                    + ["passer@example.se"])
    assert len(pages) >= 4  # paged via `more` for `completed`, then `passed`
    assert {c.verb for page in pages for c in page} == set(VERBS.values())


def test_since_excludes_older_statements(lrs):
    xapi = XapiClient(lrs_client(lrs))
    since = datetime(2026, 9, 10, 12, tzinfo=UTC)
    emails = {c.email for page in xapi.iter_completions(COURSE, since) for c in page}
    assert emails == {"passer@example.se"}


def test_wrong_credentials_are_a_clear_error(lrs):
    import httpx

    xapi = XapiClient(httpx.Client(base_url=lrs, auth=("lms", "wrong")))
    with pytest.raises(ConnectorError, match="xAPI GET statements: HTTP 401"):
        list(xapi.iter_completions(COURSE, datetime(2026, 9, 1, tzinfo=UTC)))
