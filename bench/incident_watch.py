"""How long one run of the incident clock watch takes to decide what is due, by open incidents.

Registers N incidents with all four clocks open (SQLite in a temp dir), records the alerts due
once (so the ledger holds them), then times a second run at the same moment (the steady state of
a 15-minute watch: everything due is already recorded), RUNS times. Baseline: the same with one
incident. Prints min/median/max of the runs per size; the ratio is of the medians.

    .venv/bin/python bench/incident_watch.py [N [RUNS]]   (default 500 incidents, 5 runs)
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def run(n: int, runs: int) -> list[float]:
    home = tempfile.mkdtemp(prefix="bench-incidents-")
    os.environ["ARSHJUL_HOME"] = home
    os.environ.pop("ARSHJUL_DATABASE_URL", None)
    from models import db
    from models.incidents.alerts import record_alerts
    from models.incidents.register import NewIncident, register_incident
    from models.org_import import import_org
    from models.settings import ROOT, get_settings

    get_settings.cache_clear()
    db.reset_engines()
    db.migrate()
    start = datetime(2027, 6, 25, 14, tzinfo=UTC)
    with db.session() as session:
        import_org(ROOT / "examples" / "alingsas.yaml", session=session)
    with db.session() as session:
        for i in range(n):
            aware = start + timedelta(minutes=i % 600)
            new = NewIncident("personuppgiftsincident", "socialforvaltningen", aware,
                              nis2_significant=True)
            register_incident(new, now=aware, session=session)
    now = start + timedelta(hours=30)
    with db.session() as session:
        record_alerts(now, session=session)
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        with db.session() as session:
            result = record_alerts(now, session=session)
        times.append(time.perf_counter() - began)
        assert result["recorded"] == 0
    return times


def _mmm(times: list[float]) -> str:
    return " / ".join(f"{t * 1000:.1f}" for t in (min(times), statistics.median(times),
                                                   max(times)))


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    base = run(1, runs)
    many = run(n, runs)
    print(f"{runs} runs per size, min / median / max; load average {os.getloadavg()[0]:.1f}")
    print(f"watch run, 1 open incident:   {_mmm(base)} ms")
    print(f"watch run, {n} open incidents: {_mmm(many)} ms")
    median = statistics.median(many)
    print(f"ratio of medians: {median / statistics.median(base):.1f}x for {n}x the incidents; "
          f"{median / n * 1000:.2f} ms per incident")


if __name__ == "__main__":
    main()
