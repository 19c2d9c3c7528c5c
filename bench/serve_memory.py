"""Memory of `arshjul serve` at rest: the whole process tree (serve, its Prefect server, the
portal and any workers), measured after start-up once it has settled.

Per process: RSS and PSS (proportional set size: shared pages split among the processes that
map them, so the tree's PSS sums to what it really holds) from /proc/<pid>/smaps_rollup. The goal
is judged on both sums: RSS is what `top`/`ps` show, PSS what the tree really holds.
Baselines measured in the same run, the same way: an idle Python interpreter
(`python -c "import time; time.sleep(...)"`) and a bare `prefect server start` with the same
settings serve gives it.

Usage: .venv/bin/python bench/serve_memory.py [SETTLE_SECONDS]   (default 20 s after the
portal and the Prefect server answer). Linux only (/proc).
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import httpx  # noqa: E402

from cli.prefect_server import QUIET, free_port  # noqa: E402

GOAL_MB = 400


def tree(root: int) -> list[int]:
    """`root` and all its descendants (by /proc's parent pids)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo += children.get(pid, [])
    return out


def memory(pid: int) -> tuple[float, float, str]:
    """(RSS MB, PSS MB, command) of one process."""
    fields = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        key, value = line.split(":", 1)
        fields[key] = int(value.split()[0]) / 1024
    cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()[:90]
    return fields["Rss"], fields["Pss"], cmd


def measure(root: int, label: str) -> tuple[float, float]:
    """Print the tree's processes and totals; returns the tree's (RSS, PSS) in MB."""
    rows = []
    for pid in tree(root):
        try:
            rows.append(memory(pid))
        except (OSError, KeyError):
            continue
    rss, pss = sum(r[0] for r in rows), sum(r[1] for r in rows)
    print(f"\n{label}: {len(rows)} processes, RSS {rss:.0f} MB, PSS {pss:.0f} MB")
    for r, p, cmd in rows:
        print(f"    RSS {r:6.0f} MB  PSS {p:6.0f} MB  {cmd}")
    return rss, pss


def wait_http(url: str, proc: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"exited with {proc.returncode} before {url} answered")
        try:
            httpx.get(url, timeout=2)
            return
        except httpx.HTTPError:
            time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer in {timeout:.0f} s")


def stop(proc: subprocess.Popen) -> None:
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
        if proc.poll() is not None:
            return
        proc.send_signal(sig)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            continue


def run(command: list[str], env: dict, urls: list[str], settle: float,
        label: str) -> tuple[float, float]:
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)
        try:
            for url in urls:
                wait_http(url, proc)
            time.sleep(settle)
            return measure(proc.pid, label)
        except RuntimeError:
            log.seek(0)
            print(log.read().decode(errors="replace")[-3000:])
            raise
        finally:
            stop(proc)


def main() -> None:
    settle = float(sys.argv[1]) if len(sys.argv) > 1 else 20.0
    print(f"load average at start {' / '.join(f'{x:.1f}' for x in os.getloadavg())}; "
          f"settle {settle:g} s after start-up")
    root = str(Path(__file__).resolve().parents[1])
    with tempfile.TemporaryDirectory() as home:
        base = {**os.environ, **QUIET, "PYTHONPATH": root, "ARSHJUL_HOME": home,
                "ARSHJUL_SECRET_KEY": secrets.token_urlsafe(32),
                "ARSHJUL_DATABASE_URL": f"sqlite:///{home}/arshjul.db"}
        base.pop("PREFECT_API_URL", None)
        idle = run([sys.executable, "-c", "import time; time.sleep(3600)"], base, [], 1.0,
                   "baseline: idle python")
        port = free_port()
        bare_env = {**base, "PREFECT_HOME": f"{home}/bare-prefect",
                    "PREFECT_UI_API_URL": f"http://127.0.0.1:{port}/api"}
        bare = run([sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
                    "--port", str(port)], bare_env, [f"http://127.0.0.1:{port}/api/health"],
                   settle, "baseline: bare `prefect server start`")
        prefect_port, portal_port = free_port(), free_port()
        serve = run([sys.executable, "-c", "from cli.main import main; main()", "serve",
                     "--prefect-port", str(prefect_port), "--portal-port", str(portal_port)],
                    base, [f"http://127.0.0.1:{prefect_port}/api/health",
                           f"http://127.0.0.1:{portal_port}/healthz"],
                    settle, "`arshjul serve` (Prefect server, served deployments, portal)")
    for i, name in enumerate(("RSS", "PSS")):
        total = serve[i]
        print(f"\n`arshjul serve` idle: {name} {total:.0f} MB for the whole tree (goal < {GOAL_MB} "
              f"MB: {'met' if total < GOAL_MB else 'not met'}); {total / bare[i]:.2f}× a bare "
              f"Prefect server ({bare[i]:.0f} MB), {total / idle[i]:.1f}× an idle Python "
              f"({idle[i]:.0f} MB)")
    print(f"load average at end {' / '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
