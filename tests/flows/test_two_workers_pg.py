"""Scale-out on one machine: Prefect server (basic auth) and store on PostgreSQL, two process
workers on their own work queues running overlapping ticks for one moment — nobody gets a
message twice."""

from __future__ import annotations

import email
import os
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from email import policy
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

from cli.prefect_server import LocalPrefectServer, free_port
from models import db
from models.settings import ROOT
from tests.conftest import PG_SERVER, TEST_KEY
from tests.flows.prefect_live import (
    AUTH,
    api,
    create_run,
    deployment,
    prefect_cli,
    start_worker,
    stop,
    wait_for_run,
)

ARSHJUL = str(Path(sys.executable).parent / "arshjul")
NOW = "2027-09-01T08:00:00+02:00"
RUNS_PER_QUEUE = 3
QUEUES = ("host-a", "host-b")  # one per worker: a run's queue names the worker that ran it
AUTH_STRING = "arshjul:" + "p" * 24


@pytest.fixture(scope="module")
def databases():
    """Two fresh PostgreSQL databases of this module's own: Prefect's and the store."""
    names = [f"arshjul_{what}_{os.getpid()}" for what in ("prefect", "store")]
    with db.scratch_database(PG_SERVER, names[0]) as prefect_url:
        with db.scratch_database(PG_SERVER, names[1]) as store_url:
            yield [prefect_url, store_url]


@pytest.fixture(scope="module")
def prefect_on_postgresql(tmp_path_factory, databases):
    """`prefect server start` with its database on the local PostgreSQL."""
    url = databases[0].replace("postgresql+psycopg", "postgresql+asyncpg")
    server = LocalPrefectServer(tmp_path_factory.mktemp("prefect-pg"), port=free_port(),
                                database_url=url, scheduler=False, auth=AUTH_STRING)
    server.start(timeout=300)
    AUTH[server.api_url] = AUTH_STRING  # the test's CLI calls and workers log in with it
    yield server
    server.stop()


def arshjul(env: dict, *args: str) -> None:
    result = subprocess.run([ARSHJUL, *args], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_two_workers_running_overlapping_ticks_send_each_message_once(
    prefect_on_postgresql, databases, tmp_path
):
    api_url, store = prefect_on_postgresql.api_url, databases[1]
    home = tmp_path / "shared-home"  # one outbox: what a shared SMTP relay would receive
    settings = {"ARSHJUL_HOME": str(home), "ARSHJUL_DATABASE_URL": store,
                "ARSHJUL_SECRET_KEY": TEST_KEY}
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARSHJUL_", "PREFECT_"))}
    arshjul(env | settings, "org", "import", str(ROOT / "examples" / "alingsas.yaml"))
    arshjul(env | settings, "plan", "--year", "2027")
    prefect_cli(api_url, "work-pool", "create", "arshjul", "--type", "process", "--overwrite")
    for queue in QUEUES:
        prefect_cli(api_url, "work-queue", "create", queue, "--pool", "arshjul")
    prefect_cli(api_url, "deploy", "--name", "daily")
    daily = deployment(api_url, "tick", "daily")
    workers = [start_worker(api_url, tmp_path / f"{q}.log", tmp_path, queue=q,
                            PREFECT_WORKER_QUERY_SECONDS="1", **settings)
               for q in QUEUES]
    try:
        # Only once both workers poll (however long they took to start on a busy machine) are
        # the six runs created, all due at one moment: each worker picks its three up at its
        # next one-second poll, so both start theirs together.
        wait_until_polled(api_url, QUEUES, after=datetime.now(UTC))
        at = (datetime.now(UTC) + timedelta(seconds=3)).isoformat()
        created = [create_run(api_url, daily["id"], {"now": NOW}, queue, at)
                   for _ in range(RUNS_PER_QUEUE) for queue in QUEUES]
        runs = [wait_for_run(api_url, run["id"]) for run in created]
    finally:
        for worker in workers:
            stop(worker)
    assert httpx.post(f"{api_url}/deployments/filter", json={}).status_code == 401
    assert [r["state_type"] for r in runs] == ["COMPLETED"] * len(runs)
    assert Counter(r["work_queue_name"] for r in runs) == {"host-a": 3, "host-b": 3}
    assert overlapping(runs), "no tick on host-a ran while one on host-b did"
    recipients = Counter(_to(path) for path in (home / "outbox").glob("*.eml"))
    assert len(recipients) > 5, "the tick at NOW should reach many people"
    assert [who for who, n in recipients.items() if n > 1] == []
    engine = create_engine(store)
    with engine.connect() as conn:
        digests = conn.execute(text(
            "select count(distinct digest_id) from notification where state = 'sent'")).scalar()
        unsent = conn.execute(text(
            "select count(*) from notification where state <> 'sent'")).scalar()
    engine.dispose()
    assert digests == sum(recipients.values())
    assert unsent == 0


def wait_until_polled(api_url: str, queues: tuple[str, ...], *, after: datetime,
                      timeout: float = 300) -> None:
    """Wait until a worker has polled each of `queues` since `after`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        polled = [api(api_url, "GET", f"/work_pools/arshjul/queues/{q}").json()["last_polled"]
                  for q in queues]
        if all(p and datetime.fromisoformat(p) > after for p in polled):
            return
        time.sleep(0.5)
    raise AssertionError(f"the workers did not poll {queues} within {timeout:.0f} s")


def overlapping(runs: list[dict]) -> bool:
    """Did some run of one queue start before a run of the other queue ended, and vice versa?"""
    spans = [(r["work_queue_name"], r["start_time"], r["end_time"]) for r in runs]
    return any(qa != qb and sa < eb and sb < ea
               for qa, sa, ea in spans for qb, sb, eb in spans)


def _to(path: Path) -> str:
    return str(email.message_from_bytes(path.read_bytes(), policy=policy.default)["To"])
