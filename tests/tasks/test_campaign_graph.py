"""The Graph connector against the Graph fake over real HTTP on loopback."""

from __future__ import annotations

import httpx
import pytest

from tasks.connectors.base import ConnectorError
from tasks.connectors.graph import USERS_PATH, GraphClient
from tests.tasks.graph_fake import CLIENT_ID, CLIENT_SECRET, TENANT, GraphFake, make_users, serve


@pytest.fixture
def fake():
    fake = GraphFake(make_users(2500, ["Socialförvaltningen", "Kultur- och fritid"]))
    with serve(fake):
        yield fake


def connect(fake: GraphFake, waits: list | None = None, secret: str = CLIENT_SECRET) -> GraphClient:
    client = httpx.Client(base_url=fake.base_url, timeout=10)
    return GraphClient(client, tenant_id=TENANT, client_id=CLIENT_ID, client_secret=secret,
                       token_url=f"{fake.base_url}/{TENANT}/oauth2/v2.0/token",
                       sleep=(waits.append if waits is not None else lambda s: None))


def test_pages_follow_next_link_exactly_as_given(fake):
    pages = list(connect(fake).iter_user_pages())
    assert [len(p) for p in pages] == [999, 999, 502]
    users = [u for page in pages for u in page]
    assert len({u.external_id for u in users}) == 2500
    assert users[0].department == "Socialförvaltningen" and users[0].email == "user00000@example.se"
    assert users[49].enabled is False and users[0].last_password_change.tzinfo is not None
    # the first request is ours; every later one is the previous page's nextLink, verbatim
    assert fake.user_requests[0] == USERS_PATH
    assert fake.user_requests[1:] == [link.removeprefix(fake.base_url) for link in fake.next_links]
    assert all("&$skiptoken=X%27" in link for link in fake.next_links)


@pytest.mark.parametrize("status", [429, 503])
def test_throttling_mid_sync_honours_retry_after(fake, status):
    fake.throttle = {2: 7, 3: 1}  # the second and third GET /users are throttled
    fake.throttle_status = status
    waits: list[float] = []
    pages = list(connect(fake, waits).iter_user_pages())
    assert sum(len(p) for p in pages) == 2500
    assert waits == [7.0, 1.0]
    assert len(fake.user_requests) == 5


@pytest.mark.parametrize("status", [429, 503])
def test_throttled_forever_is_a_clear_retryable_error(fake, status):
    fake.throttle = {n: 1 for n in range(1, 50)}
    fake.throttle_status = status
    with pytest.raises(ConnectorError, match=f"still throttled \\(HTTP {status}\\)") as err:
        list(connect(fake).iter_user_pages())
    assert err.value.retryable and err.value.status == status


def test_filter_on_last_password_change_is_refused_by_graph(fake):
    url = USERS_PATH + "&$filter=lastPasswordChangeDateTime ge 2026-01-01T00:00:00Z"
    with pytest.raises(ConnectorError, match="HTTP 400 Request_UnsupportedQuery") as err:
        list(connect(fake).iter_user_pages(url))
    assert not err.value.retryable


def test_bad_secret_says_which_settings_to_check(fake):
    with pytest.raises(ConnectorError, match="HTTP 401 .*ARSHJUL_GRAPH_CLIENT_SECRET"):
        list(connect(fake, secret="wrong").iter_user_pages())


def test_force_password_change(fake):
    graph = connect(fake)
    graph.force_password_change(fake.users[3]["id"])
    assert fake.forced == [fake.users[3]["id"]]
    with pytest.raises(ConnectorError, match="404 Request_ResourceNotFound"):
        graph.force_password_change("no-such-user")
