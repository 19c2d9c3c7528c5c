"""Portal load: the form page (GET), a submission (POST) and the coordinator's overview of a
region (GET /oversikt: 300 units, 5,000 people; bench/coordinator_region.py) over real HTTP,
at 20 and at 100 concurrent clients, each scenario run several times (min / median / max).

The portal runs as `arshjul portal` would (uvicorn, access log off) on 127.0.0.1, first on a
SQLite store, then on PostgreSQL (a scratch database on the local server). The load generator is
a separate process in a closed loop: 20 keep-alive HTTP/1.1 connections, each sending its next
request as soon as the previous answer arrives, for a fixed time. It is `wrk` (one thread, a Lua
script cycling through the 20 links) when installed, since client and server share the machine's
cores and wrk costs far less CPU per request; otherwise, and always for the submissions (each
connection must post to its own assignment), a Python asyncio client. The client used is printed.
Measured per scenario: requests/s, p50 and p95 latency of the answered requests (2xx/3xx),
errors (other statuses, timeouts after 5 s, socket errors) counted apart, the server's CPU time
per answered request
(user + system of the server processes from /proc: the figure that does not depend on what else
the machine runs) and the load generator's own CPU per request.
Baseline, same server and run: GET /healthz (a trivial endpoint behind the same middleware).
Submissions go to 20 different assignments (one per client; every POST stores a new version and
a receipt row).

Usage: .venv/bin/python bench/portal.py [SECONDS [WORKERS [RUNS]]]   (default 5 s per scenario,
2 workers: one uvicorn process per core, as `arshjul portal --workers 2` runs it; 3 runs).
ARSHJUL_BENCH_CLIENT=python forces the Python client; ARSHJUL_BENCH_CLIENTS="20,100" the client
counts; ARSHJUL_BENCH_ONLY="oversikt" only the scenarios whose name contains it;
ARSHJUL_BENCH_STORES="sqlite,postgresql" the stores.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


from bench.coordinator_region import seed_region  # noqa: E402
from bench.portal_load import (  # noqa: E402
    WRK,
    python_load,
    request,
    server_cpu_seconds,
    wrk_load,
)
from sqlalchemy import text  # noqa: E402

from models import db  # noqa: E402
from models.cycle.tables import Assignment, Cycle, StepInstance  # noqa: E402
from models.links import make_token  # noqa: E402
from models.org import Board, Organisation, Person, PersonRole, Unit  # noqa: E402
from models.settings import get_settings  # noqa: E402
from portal.security import csrf_token  # noqa: E402
from tests.portal.portal_server import running_portal  # noqa: E402

CLIENTS = 20  #: the seeded assignments (one per POSTing client)
SECRET = "bench-portal-secret-0123456789abcdef"
NOW = datetime(2027, 10, 1, 8, 0, tzinfo=UTC)
PG_SERVER = os.environ.get("ARSHJUL_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")


def seed(url: str) -> list[str]:
    """An organisation with CLIENTS units, each with a risk-analysis assignment; their tokens."""
    db.migrate(url)
    tokens = []
    with db.session(url) as s:
        s.add(Organisation(name="Benchkommun"))
        s.add(Board(id="ks", name="Kommunstyrelsen"))
        s.add(Cycle(year=2027, wheel_file="wheel/default.yaml", planned_at=NOW))
        s.flush()
        step = StepInstance(
            year=2027,
            step_id="riskanalys",
            key="riskanalys",
            title_sv="Riskanalys",
            title_en="Risk analysis",
            phase="identifiera",
            kind="questionnaire",
            form="riskanalys",
            audience_role="kontaktperson",
            audience_per="unit",
            opens=date(2027, 9, 1),
            due=date(2027, 11, 15),
        )
        s.add(step)
        s.flush()
        for i in range(CLIENTS):
            s.add(Unit(id=f"u{i}", name=f"Förvaltning {i}", board_id="ks"))
            s.add(Person(id=f"p{i}", name=f"Kontakt {i}", email=f"p{i}@example.se"))
            s.flush()
            s.add(PersonRole(person_id=f"p{i}", role="kontaktperson", scope_id=f"u{i}"))
            assignment = Assignment(step_instance_id=step.id, scope_kind="unit", scope_id=f"u{i}")
            s.add(assignment)
            s.flush()
            tokens.append(
                make_token(f"p{i}", assignment.id, NOW + timedelta(days=90), secret=SECRET)
            )
    db.reset_engines()
    return tokens


def submission(token: str) -> bytes:
    """A complete risk analysis of three rows, as the browser posts it."""
    data = {"csrf": csrf_token(token, SECRET), "action": "submit", "risker__rows": "3"}
    for row in range(3):
        data |= {
            f"risker__{row}__tillgang": f"System {row}",
            f"risker__{row}__hot": "driftstopp",
            f"risker__{row}__sannolikhet": "2",
            f"risker__{row}__konsekvens": "3",
            f"risker__{row}__atgard": "Kontinuitetsplan",
            f"risker__{row}__ansvarig": "IT",
        }
    return urlencode(data).encode()


def plans(port: int, tokens: list[str], clients: int, cookie: str = "") -> dict:
    """Baseline, form page, submission and the region's overview: scenario → load(seconds)."""
    use_wrk = WRK is not None and os.environ.get("ARSHJUL_BENCH_CLIENT") != "python"

    def get(paths: list[str], cookie: str = ""):
        if use_wrk:
            return lambda secs: wrk_load(port, paths, secs, clients, cookie)
        plan = [[request("GET", paths[i % len(paths)], cookie=cookie)] for i in range(clients)]
        return lambda secs: python_load(port, plan, secs)

    # Submissions: one connection per assignment (two posting to one would collide); CLIENTS.
    post = [[request("POST", f"/a/{t}", submission(t))] for t in tokens]
    found = {
        "baseline GET /healthz": get(["/healthz"]),
        "GET form page": get([f"/a/{t}" for t in tokens]),
        "POST submit": lambda secs: python_load(port, post, secs),
        # The coordinator's year (docs/coordinator.md) for a region: 300 units, 5,000 people.
        "GET /oversikt (region)": get(["/oversikt?ar=2027"], f"arshjul_samordning={cookie}"),
    }
    only = os.environ.get("ARSHJUL_BENCH_ONLY", "")
    return {k: v for k, v in found.items() if k.startswith("baseline") or only in k}


def measure(load, pid: int, seconds: float) -> dict:
    """One run of `load` after a short warm-up; adds the server's CPU per answered request
    (None when nothing was answered)."""
    load(0.5)
    cpu = server_cpu_seconds(pid)
    out = load(seconds)
    used = (server_cpu_seconds(pid) - cpu) * 1000
    out["cpu_ms"] = used / out["n"] if out["n"] else None
    return out


def _spread(values: list) -> str:
    """min / median / max of the figures that exist ("–" when none)."""
    got = [v for v in values if v is not None]
    if not got:
        return "–"
    lo, mid, hi = min(got), statistics.median(got), max(got)
    fmt = "{:.0f}" if hi >= 100 else "{:.1f}" if hi >= 10 else "{:.2f}"
    return "/".join(fmt.format(v) for v in (lo, mid, hi))


def report(label: str, clients: int, runs: dict[str, list[dict]]) -> None:
    """Print each scenario's runs as min/median/max, errors summed, ratio to the baseline."""
    base = [r["rps"] for r in runs["baseline GET /healthz"]]
    print(f"\n{label}, {clients} clients ({len(base)} runs; figures min/median/max)")
    for name, rs in runs.items():
        errors: dict = {}
        for r in rs:
            for k, v in r["errors"].items():
                errors[k] = errors.get(k, 0) + v
        ratio = [r["rps"] / b if b else None for r, b in zip(rs, base, strict=True)]
        split = ", ".join(r["split"] for r in rs if r.get("split"))
        print(
            f"  {name:24} req/s {_spread([r['rps'] for r in rs]):>14}"
            f"  p50 {_spread([r['p50'] for r in rs]):>14} ms"
            f"  p95 {_spread([r['p95'] for r in rs]):>14} ms"
            f"  server CPU {_spread([r['cpu_ms'] for r in rs])} ms/req"
            f"  ratio to baseline {_spread(ratio)}  errors {errors or 0}"
            f"  ({rs[0]['client']} client, {_spread([r['client_cpu_ms'] for r in rs])} ms/req)"
            + (f"  connections per worker {split}" if split else "")
        )


def prepare(url: str) -> tuple[list[str], str]:
    """Seed the store; then ANALYZE, as a running store's autovacuum would have (the planner
    otherwise sees empty tables)."""
    tokens = seed(url)
    cookie = seed_region(url, NOW)
    with db.get_engine(url).connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("ANALYZE"))
    db.reset_engines()
    return tokens, cookie


def run_on(url: str, label: str, seconds: float, workers: int, runs: int, clients: list[int]):
    tokens, cookie = prepare(url)
    env = {
        "ARSHJUL_DATABASE_URL": url,
        "ARSHJUL_SECRET_KEY": SECRET,
        "ARSHJUL_NOW": NOW.isoformat(),
        "ARSHJUL_HOME": str(Path(tempfile.gettempdir()) / "arshjul-bench-portal"),
    }
    from tests.portal.portal_server import free_port

    port = free_port()
    log = Path(tempfile.mkdtemp()) / "portal.log"
    with running_portal(env, log, port=port, workers=workers) as portal:
        for n in clients:
            found = plans(port, tokens, n, cookie)
            results: dict[str, list[dict]] = {name: [] for name in found}
            for _ in range(runs):  # interleaved: the baseline shares each run's conditions
                for name, load in found.items():
                    results[name].append(measure(load, portal.pid, seconds))
            report(f"{label}, {workers} worker process(es)", n, results)


def _load() -> str:
    return " / ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 5.0
    workers = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    clients = [int(c) for c in os.environ.get("ARSHJUL_BENCH_CLIENTS", "20,100").split(",")]
    stores = os.environ.get("ARSHJUL_BENCH_STORES", "sqlite,postgresql").split(",")
    get_settings.cache_clear()
    use_wrk = WRK is not None and os.environ.get("ARSHJUL_BENCH_CLIENT") != "python"
    print(
        f"load generator: {'wrk (' + WRK + '), one thread' if use_wrk else 'Python asyncio'} for"
        f" GETs, Python asyncio for POSTs; load average at start {_load()} (1/5/15 min)"
    )
    if "sqlite" in stores:
        with tempfile.TemporaryDirectory() as tmp:
            run_on(f"sqlite:///{tmp}/bench.db", "SQLite", seconds, workers, runs, clients)
    if "postgresql" in stores:
        # a name of this run's own: a second bench/portal.py on the same server (another
        # checkout) would otherwise drop this database, with its connections, mid-run
        with db.scratch_database(PG_SERVER, f"arshjul_bench_portal_{os.getpid()}") as pg_url:
            run_on(pg_url, "PostgreSQL", seconds, workers, runs, clients)
    print(
        f"\n{seconds:g} s per scenario and run, POSTs on {CLIENTS} connections, "
        f"{os.cpu_count()} cores, load average at end {_load()} (1/5/15 min)"
    )


if __name__ == "__main__":
    main()
