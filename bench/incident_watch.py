"""How long one run of the incident clock watch takes to decide what is due, by open incidents.

Registers N incidents with all four clocks open (SQLite in a temp dir), records the alerts due
once (so the ledger holds them), then times a second run at the same moment (the steady state of
a 15-minute watch: everything due is already recorded). Baseline: the same with one incident.

    .venv/bin/python bench/incident_watch.py [N]
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def run(n: int) -> float:
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
    began = time.perf_counter()
    with db.session() as session:
        result = record_alerts(now, session=session)
    elapsed = time.perf_counter() - began
    assert result["recorded"] == 0
    return elapsed


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    base = run(1)
    many = run(n)
    print(f"watch run, 1 open incident:   {base * 1000:8.1f} ms")
    print(f"watch run, {n} open incidents: {many * 1000:8.1f} ms")
    print(f"ratio: {many / base:.1f}x for {n}x the incidents; {many / n * 1000:.2f} ms per incident")


if __name__ == "__main__":
    main()
