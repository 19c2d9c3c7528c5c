"""Prefect for flow tests: one temporary Prefect server for the whole session (opt-in fixture)."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")


@pytest.fixture(scope="session")
def _harness_server():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture
def prefect_harness(_harness_server):
    """A `prefect_test_harness` shared by every flow test of the session.

    Prefect keeps one events worker per process for any non-cloud server, bound to the API URL
    it first saw. One left over by an earlier test that ran flows against another server would
    send this test's task-run events there, and its task runs would never be recorded here. So
    Prefect's services are drained (which stops them) before each test and after it.
    """
    from cli.demo import drain_prefect

    drain_prefect()
    yield
    drain_prefect()
