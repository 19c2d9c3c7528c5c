"""Benchmark: `arshjul demo` — a whole year through real Prefect flow runs on this machine.

Runs the demo as a user would (`arshjul demo --out <tmp>`, a fresh directory), parses its phase
timings, and measures a baseline in the same run: empty Prefect flow runs against a local
server like the demo's (heartbeat off, as the demo has it), so the per-tick figure can be read as
"so many bare flow runs". Prints a table; docs/benchmarks.md keeps the latest figures.

    .venv/bin/python bench/demo_year.py [--until 2027-06-30] [--empty-runs 30]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cli.prefect_server import LocalPrefectServer, free_port, template_path  # noqa: E402

EMPTY = """
import sys, time
from prefect import flow
from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

@flow(name="empty")
def empty() -> int:
    return 1

with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
    empty()  # first run registers the flow
    started = time.perf_counter()
    for _ in range(int(sys.argv[1])):
        empty()
    print((time.perf_counter() - started) / int(sys.argv[1]))
"""


def run_demo(until: str | None) -> tuple[float, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARSHJUL_", "PREFECT_"))}
    with tempfile.TemporaryDirectory() as tmp:
        command = [str(ROOT / ".venv" / "bin" / "arshjul"), "demo", "--out", f"{tmp}/demo",
                   "--year", "2027", *(["--until", until] if until else [])]
        started = time.perf_counter()
        result = subprocess.run(command, env=env, capture_output=True, text=True, cwd=tmp)
        wall = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(result.stdout + result.stderr)
    return wall, result.stdout


def empty_run_seconds(runs: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        server = LocalPrefectServer(Path(tmp) / "prefect", port=free_port(), scheduler=False,
                                    template=template_path())
        with server:
            env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
            env |= {"PREFECT_API_URL": server.api_url, "PREFECT_LOGGING_LEVEL": "WARNING",
                    "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
            out = subprocess.run([sys.executable, "-c", EMPTY, str(runs)], env=env,
                                 capture_output=True, text=True, check=True).stdout
    return float(out.strip().splitlines()[-1])


def phases(output: str) -> dict[str, float]:
    """Seconds since start at the demo's phase lines, and the tick count."""
    def at(pattern: str) -> float:
        return float(re.search(pattern + r".*\((\d+) s\)", output).group(1))

    return {
        "server": at(r"Prefect-server:"),
        "planned": at(r"Planerat"),
        "ticks": float(re.search(r"Klart på \d+ s: (\d+) tick", output).group(1)),
        "last_month": float(re.findall(r"^ +\d{4}-\d\d:.*\((\d+) s\)$", output, re.M)[-1]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--until", default=None, help="end date of a shorter year")
    parser.add_argument("--empty-runs", type=int, default=30)
    args = parser.parse_args()
    wall, output = run_demo(args.until)
    p = phases(output)
    year = p["last_month"] - p["planned"]
    per_tick = year / p["ticks"]
    empty = empty_run_seconds(args.empty_runs)
    load = os.getloadavg()[0]
    print(output)
    print(f"{'measure':<44} {'value':>10}")
    for label, value in [
        ("demo wall time, start to exit (s)", wall),
        ("  Prefect server up (s since start)", p["server"]),
        ("  year planned (s since start)", p["planned"]),
        ("  ticking the year (s)", year),
        ("  ticks (flow runs)", p["ticks"]),
        ("  per tick incl. simulated answers (s)", per_tick),
        ("baseline: empty Prefect flow run (s)", empty),
        ("ratio per tick / empty flow run", per_tick / empty),
        ("load average (1 min) at the end", load),
    ]:
        print(f"{label:<44} {value:>10.2f}")


if __name__ == "__main__":
    main()
