"""Benchmark: `ledger.enqueue` of 50,000 items (a password drive's reminders) on both stores.

Variants, measured in the same run on the same store (interleaved rounds, best of each, because
the machine is shared):
- old: the per-row VALUES path (Core insertmanyvalues with RETURNING) as `enqueue` was before
  COPY — kept here as the baseline;
- enqueue: `ledger.enqueue` as it is (on PostgreSQL a per-kind transaction lock, then COPY from
  `ledger.COPY_FROM` items on; the old path on SQLite);
- bulk: `models/bulk.py`'s insert directly (on SQLite: raw multi-row VALUES), to compare.
Each is timed into an empty ledger (all new) and again with the same items (none new).
Then small batches on PostgreSQL around `ledger.COPY_FROM`, VALUES vs COPY.

Usage: .venv/bin/python bench/ledger_enqueue.py [--items 50000] [--pg postgresql+psycopg://…]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text  # noqa: E402

from bench.common import use  # noqa: E402
from models import db  # noqa: E402
from models.notify import ledger

NOW = datetime(2027, 3, 1, 7, 0, tzinfo=UTC)
ROUNDS = 3


def make_items(n: int, occasion: str = "2027-03-01") -> list[ledger.LedgerItem]:
    """Reminders like a password drive's: one per person, each with its own payload dict."""
    content = ledger.Content(
        title={"sv": "Byt lösenord", "en": "Change your password"},
        purpose={"sv": "Årlig lösenordskampanj.", "en": "Annual password drive."},
        due="2027-03-15", link={"kind": "campaign", "subject": "1"}).model_dump()
    return [ledger.LedgerItem("campaign-reminder", "campaign:1", f"remind:{occasion}",
                              f"graph-{i:08d}", dict(content)) for i in range(n)]


def old_enqueue(items: list[ledger.LedgerItem], *, session, now: datetime) -> int:
    """The baseline: `enqueue` before COPY (insertmanyvalues for every batch size)."""
    new = ledger._values(items, session, ledger._utc(now))
    session.commit()
    return new


def bulk_enqueue(items: list[ledger.LedgerItem], *, session, now: datetime) -> int:
    """`models/bulk.py` on any store (multi-row VALUES on SQLite, COPY on PostgreSQL)."""
    new = ledger._copy(items, session, ledger._utc(now))
    session.commit()
    return new


VARIANTS = {"old": old_enqueue, "enqueue": ledger.enqueue, "bulk": bulk_enqueue}


def empty_ledger() -> None:
    with db.session() as s:
        s.execute(text("DELETE FROM notification"))


def timed(fn, items: list) -> tuple[float, int]:
    with db.session() as s:
        start = time.perf_counter()
        new = fn(items, session=s, now=NOW)
        return time.perf_counter() - start, new


def measure_large(n: int) -> dict[str, tuple[float, float]]:
    """Best (all new, none new) seconds of each variant over interleaved rounds."""
    items = make_items(n)
    best: dict[str, list[float]] = {v: [float("inf"), float("inf")] for v in VARIANTS}
    for _ in range(ROUNDS):
        for name, fn in VARIANTS.items():
            empty_ledger()
            first, new = timed(fn, items)
            again, none = timed(fn, items)
            assert (new, none) == (n, 0), (name, new, none)
            best[name] = [min(best[name][0], first), min(best[name][1], again)]
    return {k: (v[0], v[1]) for k, v in best.items()}


def measure_small(sizes=(1, 20, 100, 200, 500, 1000), reps: int = 20) -> None:
    """PostgreSQL: median ms per batch of VALUES vs COPY for small batches."""
    print("  small batches (all new), median of", reps, "— VALUES vs COPY:")
    for size in sizes:
        times: dict[str, list[float]] = {"old": [], "bulk": []}
        for rep in range(reps):
            for name in times:
                items = make_items(size, occasion=f"{name}-{size}-{rep}")
                times[name].append(timed(VARIANTS[name], items)[0])
        old, copy = (sorted(times[k])[reps // 2] * 1000 for k in ("old", "bulk"))
        print(f"    {size:5d} items: VALUES {old:7.2f} ms, COPY {copy:7.2f} ms, "
              f"ratio {old / copy:.2f}")


def report(label: str, url: str, n: int) -> None:
    use(url)
    best = measure_large(n)
    old_first, old_again = best["old"]
    print(f"\n{label}: {n} items, best of {ROUNDS} rounds")
    for name, (first, again) in best.items():
        print(f"  {name:8s} all new {first:6.2f} s ({n / first:8.0f}/s), none new {again:6.2f} s;"
              f" ratio old/{name} {old_first / first:5.2f} / {old_again / again:5.2f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=50_000)
    parser.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["ARSHJUL_HOME"] = tmp
        report("SQLite", f"sqlite:///{tmp}/bench.db", args.items)
        with db.scratch_database(args.pg, "arshjul_bench_ledger") as pg_url:
            report("PostgreSQL", pg_url, args.items)
            empty_ledger()
            measure_small()


if __name__ == "__main__":
    main()
