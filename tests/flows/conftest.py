"""Prefect for flow tests: the one real Prefect server of this test process (opt-in fixture)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def _prefect_settings(prefect_server):  # noqa: F811
    """This process's Prefect settings point at the shared server for the rest of the session.

    The same server as `prefect_server` (one per xdist worker), never Prefect's temporary one.
    Also the process-wide settings context, so threads started later see it too (as
    `prefect_test_harness` does).
    """
    import prefect.context
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: prefect_server.api_url}):
        with prefect.context._temporary_global_settings_context(
                prefect.context.get_settings_context()):
            yield


@pytest.fixture
def prefect_harness(_prefect_settings):
    """In-process flow runs go to the shared server.

    Prefect keeps one events worker per process for any non-cloud server, bound to the API URL
    it first saw. One left over by an earlier test that ran flows against another server would
    send this test's task-run events there, and its task runs would never be recorded here. So
    Prefect's services are drained (which stops them) before each test and after it.
    """
    from cli.demo import drain_prefect

    drain_prefect()
    yield
    drain_prefect()
