"""The training campaign's completions from an export of xAPI statements as a file
(`ARSHJUL_XAPI_URL=file://…`): the same rules as the LRS (verb, course, since), three shapes of
file, a bad file named in one line."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from models import db
from models.errors import InputError
from models.settings import get_settings
from tasks.campaign_tasks import refresh_campaigns_now
from tasks.connectors.xapi_file import read_completions
from tests.tasks.test_campaign_training import COURSE, seed_training, statement

TZ = ZoneInfo("Europe/Stockholm")
SINCE = datetime(2026, 9, 1, tzinfo=UTC)


def statements() -> list[dict]:
    done = [statement({"mbox": f"mailto:P{i}@Example.se"}, "completed", COURSE,
                      "2026-09-20T10:00:00+00:00") for i in range(10)]
    return done + [
        statement({"account": {"homePage": "https://lms.example.se", "name": "e10"}}, "passed",
                  COURSE, "2026-09-21T10:00:00+00:00"),
        statement({"mbox": "mailto:p11@example.se"}, "completed",
                  "https://lms.example.se/xapi/activities/brandskydd", "2026-09-21T10:00:00Z"),
        statement({"mbox": "mailto:p12@example.se"}, "launched", COURSE, "2026-09-21T10:00:00Z"),
        statement({"mbox": "mailto:p13@example.se"}, "completed", COURSE, "2026-08-01T10:00:00Z"),
    ]


@pytest.mark.parametrize("shape", ["array", "result", "lines"])
def test_a_statements_file_in_each_shape_gives_the_same_completions(tmp_path, shape):
    items = statements()
    path = tmp_path / "utbildning.json"
    path.write_text({"array": json.dumps(items), "result": json.dumps({"statements": items}),
                     "lines": "\n".join(json.dumps(s) for s in items)}[shape], encoding="utf-8")
    found = read_completions(path.as_uri(), COURSE, SINCE)
    # other course, another verb and a completion before the campaign started are left out
    assert sorted(c.email or c.account_name for c in found) == sorted(
        [f"p{i}@example.se" for i in range(10)] + ["e10"])


def test_a_bad_file_is_one_line_naming_it(tmp_path):
    path = tmp_path / "trasig.json"
    path.write_text("{inte json\n", encoding="utf-8")
    with pytest.raises(InputError) as bad:
        read_completions(path.as_uri(), COURSE, SINCE)
    assert str(bad.value).startswith("trasig.json:1: ingen JSON")
    with pytest.raises(InputError, match="kan inte läsa"):
        read_completions((tmp_path / "saknas.json").as_uri(), COURSE, SINCE)


def test_training_campaign_reads_the_file(sqlite_store, tmp_path, monkeypatch):
    path = tmp_path / "utbildning.json"
    path.write_text(json.dumps(statements()), encoding="utf-8")
    monkeypatch.setenv("ARSHJUL_XAPI_URL", path.as_uri())
    get_settings.cache_clear()
    with db.session() as s:
        seed_training(s)
    stats = refresh_campaigns_now(datetime(2026, 9, 1, 9, tzinfo=TZ))
    assert stats["started"] == 1 and stats["joined"] == 30 and stats["done"] == 11
