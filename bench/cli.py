"""How long a coordinator waits for `arshjul`: --help, status and tick, each as its own process.

Usage: python bench/cli.py [RUNS]

The example organisation is imported and 2027 planned in a fresh directory. Each command runs
RUNS times (default 5) as a new process; min, median and max wall time are printed and the
median is compared with `python -c pass` measured in the same run, next to `python -c "import
sqlmodel"` (the store library's import alone: the floor of every command that reads the store). First with no Prefect server anywhere (tick runs in-process), then with
`arshjul serve --no-portal` running for the same store (tick becomes a flow run on serve's
Prefect server). Each tick acts at a new date, so every run records and delivers.

Goals (issue 14): --help and status under 1 s on a quiet machine (ratio under 15); tick under 3 s
without a server.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ARSHJUL = str(BIN / "arshjul")


def environment(work: Path) -> dict[str, str]:
    """No Prefect address anywhere (not even a profile); the store under `work`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "ARSHJUL_"))}
    env.update(PREFECT_HOME=str(work / "prefect-home"), ARSHJUL_HOME=str(work / ".arshjul"),
               ARSHJUL_SECRET_KEY="bench-cli-secret-0123456789abcdef",
               PREFECT_SERVER_ANALYTICS_ENABLED="false")
    return env


def timed(command: list[str], env: dict, cwd: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
    return seconds


def spread(runs: int, make_command, env: dict, cwd: Path) -> tuple[float, float, float]:
    """Min, median and max wall seconds over `runs` runs."""
    seconds = [timed(make_command(i), env, cwd) for i in range(runs)]
    return min(seconds), statistics.median(seconds), max(seconds)


def measure(runs: int, env: dict, cwd: Path, first_day: int) -> dict[str, tuple]:
    """Min/median/max seconds of each command; ticks at 2027-09-<first_day + i>.

    `import sqlmodel` is the floor of every command that reads the store: the store library's
    own import, before any of our code runs.
    """
    python = sys.executable
    return {
        "python -c pass": spread(runs, lambda _: [python, "-c", "pass"], env, cwd),
        "import sqlmodel": spread(runs, lambda _: [python, "-c", "import sqlmodel"], env, cwd),
        "arshjul --help": spread(runs, lambda _: [ARSHJUL, "--help"], env, cwd),
        "arshjul status": spread(runs, lambda _: [ARSHJUL, "status", "--year", "2027"], env, cwd),
        "arshjul tick": spread(runs, lambda i: [
            ARSHJUL, "tick", "--now", f"2027-09-{first_day + i:02d}T08:00"], env, cwd),
    }


def start_serve(env: dict, cwd: Path) -> subprocess.Popen:
    from cli.prefect_server import free_port

    process = subprocess.Popen(
        [ARSHJUL, "serve", "--no-portal", "--prefect-port", str(free_port())], env=env, cwd=cwd,
        text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    for line in process.stdout:
        if "Ctrl-C" in line:
            return process
    raise SystemExit("arshjul serve did not start")


def report(title: str, figures: dict[str, tuple]) -> None:
    base = figures["python -c pass"][1]
    print(f"\n{title}")
    print(f"{'command':<16} {'min s':>7} {'median s':>9} {'max s':>7} {'ratio':>7}")
    for name, (low, mid, high) in figures.items():
        print(f"{name:<16} {low:7.3f} {mid:9.3f} {high:7.3f} {mid / base:7.1f}")


def main(runs: int = 5) -> None:
    sys.path.insert(0, str(ROOT))
    print(f"load average at start: {os.getloadavg()[0]:.2f}; {runs} runs per command")
    with tempfile.TemporaryDirectory(prefix="bench-cli-") as tmp:
        work = Path(tmp)
        env = environment(work)
        for command in (["org", "import", str(ROOT / "examples" / "alingsas.yaml")],
                        ["plan", "--year", "2027"]):
            timed([ARSHJUL, *command], env, work)
        report("No Prefect server (tick runs in-process):", measure(runs, env, work, 1))
        serve = start_serve(env, work)
        try:
            report("`arshjul serve` running (tick is a flow run on its server):",
                   measure(runs, env, work, 1 + runs))
        finally:
            serve.send_signal(2)
            serve.wait(60)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
