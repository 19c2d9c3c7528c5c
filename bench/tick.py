"""Seconds per tick (excluding delivery) for a region-scale organisation, SQLite and PostgreSQL.

A generated organisation of 300 units (30 boards), 5,000 people (a contact and a head per unit,
a data protection contact per board, the central roles, the rest employees without roles) and
the default wheel planned for 2027. Each measured tick records what is due into the ledger
(`record_due`); a second tick at the same `now` (nothing new) is measured too. The baseline in
the same run is the pure rule evaluation alone (`notify_rules.due_items` on rows already in
memory), i.e. what the store costs on top. Finally one tick runs as a Prefect flow (temporary
server, outbox delivery) to count its task runs, for a small and the large organisation.

Usage: .venv/bin/python bench/tick.py [--pg postgresql+psycopg://postgres@127.0.0.1:5432]
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

from sqlalchemy import insert  # noqa: E402

from bench.common import use  # noqa: E402
from models import db  # noqa: E402

STHLM = ZoneInfo("Europe/Stockholm")
NOWS = [datetime(2027, m, d, 8, tzinfo=STHLM).astimezone(UTC)
        for m, d in ((9, 1), (11, 1), (11, 18), (12, 3))]


def generate(url: str, units: int = 300, people: int = 5000) -> None:
    """Write the organisation with bulk inserts, then plan 2027."""
    from models.cycle.planning import plan_cycle
    from models.org import Board, Organisation, Person, PersonRole, Unit

    boards = units // 10
    roles = [("samordnare", "informationssakerhetssamordnare", ""), ("dpo", "dataskyddsombud", ""),
             ("itsak", "it-sakerhetsansvarig", "")]
    persons = [p for p, _, _ in roles]
    for u in range(units):
        persons += [f"kontakt-{u}", f"chef-{u}"]
        roles += [(f"kontakt-{u}", "kontaktperson", f"u{u}"), (f"chef-{u}", "chef", f"u{u}")]
    for b in range(boards):
        persons.append(f"dsk-{b}")
        roles.append((f"dsk-{b}", "dataskyddskontakt", f"b{b}"))
    persons += [f"anst-{i}" for i in range(people - len(persons))]
    with db.session(url) as s:
        s.add(Organisation(name="Regionen"))
        s.execute(insert(Board), [{"id": f"b{b}", "name": f"Nämnd {b}", "active": True}
                                  for b in range(boards)])
        s.execute(insert(Unit), [{"id": f"u{u}", "name": f"Förvaltning {u}", "kind": "forvaltning",
                                  "board_id": f"b{u % boards}", "notify": [], "active": True}
                                 for u in range(units)])
        s.execute(insert(Person), [{"id": p, "name": p, "email": f"{p}@example.se", "notify": [],
                                    "active": True, "source": "org", "elected": False,
                                    "account_enabled": True} for p in persons])
        s.execute(insert(PersonRole), [{"person_id": p, "role": r, "scope_id": sc}
                                       for p, r, sc in roles])
    with db.session(url) as s:
        plan_cycle(2027, session=s)


def measure_store(url: str) -> list[tuple[str, float, float, int]]:
    """(tick, seconds first run, seconds same-now re-run, new items) per measured now."""
    from models.notify.plan import record_due

    out = []
    for now in NOWS:
        with db.session(url) as s:
            start = time.perf_counter()
            summary = record_due(now, session=s)
            first = time.perf_counter() - start
        with db.session(url) as s:
            start = time.perf_counter()
            record_due(now, session=s)
            again = time.perf_counter() - start
        new = sum(summary["new"].values())
        out.append((f"{now.astimezone(STHLM):%Y-%m-%d}", first, again, new))
    return out


def measure_rules(url: str) -> float:
    """Seconds for the pure rules over rows already loaded (the baseline), averaged."""
    from models.notify import rules as notify_rules
    from models.notify.plan import clock_for, load_work
    from models.roles import load_directory

    with db.session(url) as s:
        steps, assignments = load_work(NOWS[1], session=s)
        directory, clock = load_directory(session=s), clock_for(s)
    start = time.perf_counter()
    for now in NOWS:
        notify_rules.due_items(steps, assignments, directory, now, clock)
    return (time.perf_counter() - start) / len(NOWS)


def prefect_task_runs(url: str) -> int:
    """Task runs of one tick flow run (delivery into the outbox) at the busiest now."""
    import asyncio

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    from flows.tick import tick

    state = tick(now=NOWS[2].isoformat(), return_state=True)

    async def count() -> int:
        async with get_client() as client:
            runs = await client.read_task_runs(flow_run_filter=FlowRunFilter(
                id=FlowRunFilterId(any_=[state.state_details.flow_run_id])))
            return len(runs)

    return asyncio.run(count())


def report(label: str, url: str, units: int, people: int) -> None:
    use(url)
    start = time.perf_counter()
    generate(url, units, people)
    print(f"\n{label}: {units} units, {people} people generated and planned in "
          f"{time.perf_counter() - start:.1f} s")
    rows = measure_store(url)
    baseline = measure_rules(url)
    print(f"  baseline (pure rules, rows in memory): {baseline:.3f} s per tick")
    for day, first, again, new in rows:
        print(f"  tick {day}: {first:.2f} s ({new} new items), same now again {again:.2f} s, "
              f"ratio to baseline {first / baseline:.1f}x")


def main() -> None:
    pg = sys.argv[sys.argv.index("--pg") + 1] if "--pg" in sys.argv else \
        "postgresql+psycopg://postgres@127.0.0.1:5432"
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["ARSHJUL_HOME"] = tmp
        report("SQLite", f"sqlite:///{tmp}/bench.db", 300, 5000)
        with db.scratch_database(pg, "arshjul_bench_tick") as pg_url:
            report("PostgreSQL", pg_url, 300, 5000)
        from prefect.testing.utilities import prefect_test_harness

        with prefect_test_harness(server_startup_timeout=120):
            for units, people in ((10, 200), (300, 5000)):
                use(f"sqlite:///{tmp}/flow-{units}.db")
                generate(f"sqlite:///{tmp}/flow-{units}.db", units, people)
                print(f"\nPrefect task runs in one tick, {units} units / {people} people: "
                      f"{prefect_task_runs(f'sqlite:///{tmp}/flow-{units}.db')}")


if __name__ == "__main__":
    main()
