"""The whole tick flow at 1x, 3x and 10x region scale, SQLite and PostgreSQL, against its SQL floor.

Region scale is 300 units (30 boards) and 5,000 people (a contact and a head per unit, a data
protection contact per board, the central roles, the rest employees without roles) with the
default wheel planned for 2027; 10x is 3,000 units and 50,000 people. Ticks on 2027-09-01 and
2027-11-01 bring the ledger to the busiest day, 2027-11-18 (every unit's risk analysis overdue:
~600 messages per 1x), whose store is then kept as a snapshot.

Each measured run restores the snapshot and starts a fresh process that runs the tick flow the
way `arshjul tick` does without a Prefect server (cli/launch.run_flow: the flow body in-process,
each task's function; delivery into the .eml outbox), then the same tick again (nothing new).
It reports CPU seconds of the process (user + system; PostgreSQL's own CPU is not in it), wall
time, peak RSS (and RSS before the tick) and the task runs; the re-tick is the best of five. The floor, measured in the same
process right before each tick: the bare SQL that returns the new due rows (the statements of
models/notify/due_sql.py, compiled with their values, on the driver's raw connection).

Usage: .venv/bin/python bench/tick.py [--scales 1,3,10] [--repeat 3] [--repeat10 2]
       [--stores sqlite,postgresql] [--pg postgresql+psycopg://postgres@127.0.0.1:5432]
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.pop("ARSHJUL_SMTP_URL", None)  # delivery goes to the outbox

from sqlalchemy import insert  # noqa: E402

from bench.common import use  # noqa: E402
from models import db  # noqa: E402

STHLM = ZoneInfo("Europe/Stockholm")
WARM = [datetime(2027, m, d, 8, tzinfo=STHLM).astimezone(UTC) for m, d in ((9, 1), (11, 1))]
BUSIEST = datetime(2027, 11, 18, 8, tzinfo=STHLM).astimezone(UTC)


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


def run_tick(now: datetime) -> tuple[dict, list[str]]:
    """The tick flow as `arshjul tick` runs it without a server; (result, task names)."""
    from cli.launch import Target, run_flow

    names: list[str] = []
    result = run_flow("flows.tick", "tick", Target("", ""),
                      on_task=lambda name, _result: names.append(name), now=now.isoformat())
    return result, names


def floor(url: str, now: datetime) -> tuple[float, float, int]:
    """(seconds, CPU seconds of this process, rows) of the bare due-set SQL on the driver's
    connection."""
    from models.notify import due_sql
    from models.notify.plan import _LOOKBACK, clock_for

    engine = db.get_engine(url)
    with db.session(url) as s:
        clock = clock_for(s)
        steps = due_sql.live_steps(now.astimezone(STHLM).date(), _LOOKBACK, session=s)
        audience, escalation = due_sql.current_events(steps, now, clock)
        sql = [str(q.compile(engine, compile_kwargs={"literal_binds": True}))
               for q in due_sql.statements(audience, escalation, session=s)]
    raw = engine.raw_connection()
    try:
        cursor, rows, cpu, start = raw.cursor(), 0, _cpu(), time.perf_counter()
        for text in sql:
            cursor.execute(text)
            rows += len(cursor.fetchall())
        return time.perf_counter() - start, _cpu() - cpu, rows
    finally:
        raw.close()


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _rss_mb(field: str = "VmRSS") -> float:
    with open("/proc/self/status") as status:
        line = next(x for x in status if x.startswith(field + ":"))
    return int(line.split()[1]) / 1024


def _best(out: dict, key: str, value: float) -> None:
    out[key] = min(out.get(key, value), value)


def child(url: str) -> None:
    """One measured run (a fresh process): floor, tick, floor, the same tick again."""
    use(url)
    run_tick(WARM[0].replace(year=2026))  # imports and first connections, nothing due then
    out: dict = {"rss_before_mb": _rss_mb()}
    for label in ("first", "again"):
        # the re-tick is short: the best of five floor/tick pairs, against the machine's load
        for _ in range(1 if label == "first" else 5):
            wall, cpu, out[f"{label}_floor_rows"] = floor(url, BUSIEST)
            _best(out, f"{label}_floor_s", wall)
            _best(out, f"{label}_floor_cpu_s", cpu)
            cpu, start = _cpu(), time.perf_counter()
            result, names = run_tick(BUSIEST)
            _best(out, f"{label}_wall_s", time.perf_counter() - start)
            _best(out, f"{label}_cpu_s", _cpu() - cpu)
        out[f"{label}_tasks"] = len(names)
        out[f"{label}_new"] = sum(result["recorded"].get("new", {}).values())
        out[f"{label}_messages"] = result["delivered"].get("messages", 0)
    # VmHWM, not getrusage's ru_maxrss: Linux carries the parent's RSS at the fork over exec
    # into ru_maxrss, so a run after the bench had seeded a 10x store reported that store's size
    out["peak_rss_mb"] = _rss_mb("VmHWM")
    print("RESULT " + json.dumps(out), flush=True)


def _snapshot(url: str, work: str, snap: str, restore: bool) -> None:
    """Copy the store `work` to `snap` (or back, when `restore`): a file or a template database."""
    db.reset_engines()
    if url.startswith("sqlite"):
        shutil.copy(snap if restore else work, work if restore else snap)
        return
    from sqlalchemy import create_engine, text

    server = url.rsplit("/", 1)[0]
    source, target = (snap, work) if restore else (work, snap)
    admin = create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{target}" TEMPLATE "{source}"'))
    admin.dispose()


def prepare(url: str, units: int, people: int) -> str:
    """Generate, tick up to the busiest day; a warm-up tick that fails is said, not fatal."""
    use(url)
    start = time.perf_counter()
    generate(url, units, people)
    for now in WARM:
        try:
            run_tick(now)
        except Exception as exc:  # the measured runs still say what they find
            print(f"  warm-up tick {now:%Y-%m-%d} failed: {type(exc).__name__}: {exc}")
    db.reset_engines()
    return f"generated and ticked to the busiest day in {time.perf_counter() - start:.0f} s"


def measure(url: str, repeat: int):
    """`repeat` runs, each in a fresh process (the caller restores the snapshot after each)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    runs = []
    for _ in range(repeat):
        done = subprocess.run([sys.executable, __file__, "--child", url], env=env,
                              capture_output=True, text=True, timeout=1800)
        lines = [x for x in done.stdout.splitlines() if x.startswith("RESULT ")]
        if not lines:
            print(f"  run failed (exit {done.returncode}): {done.stderr.strip()[-400:]}")
            continue
        runs.append(json.loads(lines[-1][7:]))
        yield runs[-1]


def _spread(values: list[float], fmt: str = "{:.2f}") -> str:
    if not values:
        return "-"
    parts = (min(values), statistics.median(values), max(values))
    return "/".join(fmt.format(v) for v in parts)


def summary(label: str, runs: list[dict]) -> str:
    """min/median/max of each figure over the runs."""
    if not runs:
        return f"  {label}: no run finished"
    get = lambda key: [r[key] for r in runs]  # noqa: E731
    ratio = lambda a, b: [r[a] / max(r[b], 1e-6) for r in runs]  # noqa: E731
    first, again = runs[0], runs[-1]
    return "\n".join([
        f"  {label}, {len(runs)} runs, min/median/max; load {os.getloadavg()[0]:.1f}",
        f"    busiest day: {first['first_new']} new items, {first['first_messages']} messages, "
        f"task runs {sorted(set(get('first_tasks')))}",
        f"    whole tick: CPU {_spread(get('first_cpu_s'))} s, wall {_spread(get('first_wall_s'))}"
        f" s; floor {_spread(get('first_floor_s'), '{:.3f}')} s ({first['first_floor_rows']} "
        f"rows); wall / floor {_spread(ratio('first_wall_s', 'first_floor_s'), '{:.0f}')}x",
        f"    re-tick, nothing new ({again['again_new']} new; best of 5 per run): CPU "
        f"{_spread(get('again_cpu_s'), '{:.3f}')} s, wall {_spread(get('again_wall_s'), '{:.3f}')}"
        f" s; floor {_spread(get('again_floor_s'), '{:.3f}')} s wall, "
        f"{_spread(get('again_floor_cpu_s'), '{:.3f}')} s CPU ({again['again_floor_rows']} rows); "
        f"wall / floor {_spread(ratio('again_wall_s', 'again_floor_s'), '{:.1f}')}x, CPU / floor "
        f"CPU {_spread(ratio('again_cpu_s', 'again_floor_cpu_s'), '{:.1f}')}x, "
        f"task runs {sorted(set(get('again_tasks')))}",
        f"    memory: peak RSS {_spread(get('peak_rss_mb'), '{:.0f}')} MB (before the tick "
        f"{_spread(get('rss_before_mb'), '{:.0f}')} MB)",
    ])


def _arg(name: str, default: str) -> str:
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


def main() -> None:
    if "--child" in sys.argv:
        child(_arg("--child", ""))
        return
    pg = _arg("--pg", "postgresql+psycopg://postgres@127.0.0.1:5432")
    scales = [int(s) for s in _arg("--scales", "1,3,10").split(",")]
    stores = _arg("--stores", "sqlite,postgresql").split(",")
    repeat, repeat10 = int(_arg("--repeat", "3")), int(_arg("--repeat10", "2"))
    print(f"tick bench {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, load {os.getloadavg()}")
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["ARSHJUL_HOME"] = tmp
        for store in stores:
            for scale in scales:
                _bench(store, scale, repeat10 if scale >= 10 else repeat, tmp, pg)


def _bench(store: str, scale: int, repeat: int, tmp: str, pg: str) -> None:
    label = f"{store} {scale}x ({300 * scale} units, {5000 * scale} people)"
    if store == "sqlite":
        url = f"sqlite:///{tmp}/tick-{scale}.db"
        work, snap = url[len("sqlite:///"):], f"{tmp}/tick-{scale}.snapshot"
        print(f"\n{label}: {prepare(url, 300 * scale, 5000 * scale)}", flush=True)
        _snapshot(url, work, snap, restore=False)
        runs = []
        for run in measure(url, repeat):
            runs.append(run)
            _snapshot(url, work, snap, restore=True)
        print(summary(label, runs), flush=True)
        return
    with db.scratch_database(pg, "arshjul_bench_tick") as url:
        print(f"\n{label}: {prepare(url, 300 * scale, 5000 * scale)}", flush=True)
        _snapshot(url, "arshjul_bench_tick", "arshjul_bench_tick_snap", restore=False)
        runs = []
        try:
            for run in measure(url, repeat):
                runs.append(run)
                _snapshot(url, "arshjul_bench_tick", "arshjul_bench_tick_snap", restore=True)
        finally:
            _drop(url, "arshjul_bench_tick_snap")
        print(summary(label, runs), flush=True)


def _drop(url: str, name: str) -> None:
    from sqlalchemy import create_engine, text

    admin = create_engine(f"{url.rsplit('/', 1)[0]}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


if __name__ == "__main__":
    main()
