"""Portal load: the form page (GET), a submission (POST) and the coordinator's overview of a
region (GET /oversikt: 300 units, 5,000 people; bench/coordinator_region.py) over real HTTP,
20 concurrent clients.

The portal runs as `arshjul portal` would (uvicorn, access log off) on 127.0.0.1, first on a
SQLite store, then on PostgreSQL (a scratch database on the local server). The load generator is
a separate process in a closed loop: 20 keep-alive HTTP/1.1 connections, each sending its next
request as soon as the previous answer arrives, for a fixed time. It is `wrk` (one thread, a Lua
script cycling through the 20 links) when installed, since client and server share the machine's
cores and wrk costs far less CPU per request; otherwise, and always for the submissions (each
connection must post to its own assignment), a Python asyncio client. The client used is printed.
Measured per scenario: requests/s, p50 and p95 latency, errors, the server's CPU time per request
(user + system of the server processes from /proc: the figure that does not depend on what else
the machine runs) and the load generator's own CPU per request.
Baseline, same server and run: GET /healthz (a trivial endpoint behind the same middleware).
Submissions go to 20 different assignments (one per client; every POST stores a new version and
a receipt row).

Usage: .venv/bin/python bench/portal.py [SECONDS [WORKERS]]   (default 5 s per scenario, 2 workers:
one uvicorn process per core, as `arshjul portal --workers 2` runs it). ARSHJUL_BENCH_CLIENT=python
forces the Python client.
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


from bench.coordinator_region import seed_region  # noqa: E402
from models import db  # noqa: E402
from models.cycle.tables import Assignment, Cycle, StepInstance  # noqa: E402
from models.links import make_token  # noqa: E402
from models.org import Board, Organisation, Person, PersonRole, Unit  # noqa: E402
from models.settings import get_settings  # noqa: E402
from portal.security import csrf_token  # noqa: E402
from tests.portal.portal_server import running_portal  # noqa: E402

CLIENTS = 20
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


async def _client(port: int, requests: list[bytes], until: float, lat: list, codes: dict):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    i = 0
    while time.perf_counter() < until:
        start = time.perf_counter()
        writer.write(requests[i % len(requests)])
        await writer.drain()
        status = await _read_response(reader)
        lat.append(time.perf_counter() - start)
        codes[status] = codes.get(status, 0) + 1
        i += 1
    writer.close()


async def _read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length = next(
        (int(h.split(":", 1)[1]) for h in lines if h.lower().startswith("content-length")), 0
    )
    if length:
        await reader.readexactly(length)
    return status


def _request(method: str, path: str, body: bytes = b"", cookie: str = "") -> bytes:
    head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n"
    if cookie:
        head += f"Cookie: {cookie}\r\n"
    if method == "POST":
        head += "Content-Type: application/x-www-form-urlencoded\r\n"
        head += f"Content-Length: {len(body)}\r\nSec-Fetch-Site: same-origin\r\n"
    return (head + "\r\n").encode() + body


async def _load_async(port: int, per_client: list[list[bytes]], seconds: float) -> dict:
    lat: list[float] = []
    codes: dict[int, int] = {}
    until = time.perf_counter() + seconds
    began = time.perf_counter()
    await asyncio.gather(*(_client(port, reqs, until, lat, codes) for reqs in per_client))
    elapsed = time.perf_counter() - began
    lat.sort()
    return {
        "rps": len(lat) / elapsed,
        "p50": statistics.median(lat) * 1000,
        "p95": lat[int(len(lat) * 0.95) - 1] * 1000,
        "n": len(lat),
        "codes": codes,
    }


def python_load(port: int, per_client: list[list[bytes]], seconds: float) -> dict:
    """The Python asyncio client: connection i sends per_client[i] in turn."""
    cpu = time.process_time()
    out = asyncio.run(_load_async(port, per_client, seconds))
    out["client"] = "python"
    out["client_cpu_ms"] = (time.process_time() - cpu) * 1000 / out["n"]
    return out


WRK = shutil.which("wrk")
_WRK_LUA = """
local paths = {%s}
local headers = {%s}
local i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i], headers)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"n": %%d, "us": %%d, "bad": %%d, "socket": %%d, "p50": %%d, "p95": %%d}\\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(95)))
end
"""


def wrk_load(port: int, paths: list[str], seconds: float, cookie: str = "") -> dict:
    """wrk, one thread, CLIENTS connections, GET `paths` in turn; figures from its Lua summary."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        headers = f'["Cookie"] = {json.dumps(cookie)}' if cookie else ""
        script.write(_WRK_LUA % (", ".join(json.dumps(p) for p in paths), headers))
        script.flush()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        command = [WRK, "-t1", f"-c{CLIENTS}", f"-d{max(1, round(seconds))}s", "-s", script.name]
        with subprocess.Popen(
            [*command, f"http://127.0.0.1:{port}"], stdout=subprocess.PIPE, text=True
        ) as proc:
            time.sleep(min(seconds / 2, 1.0))
            split = connections_per_process(port)
            stdout = proc.communicate()[0]
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    r = json.loads(stdout.strip().splitlines()[-1])
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    ok = r["n"] - r["bad"]
    return {
        "rps": r["n"] / (r["us"] / 1e6),
        "p50": r["p50"] / 1000,
        "p95": r["p95"] / 1000,
        "n": r["n"],
        "codes": {"2xx/3xx": ok, "other": r["bad"], "socket errors": r["socket"]},
        "client": "wrk",
        "split": split,
        "client_cpu_ms": cpu * 1000 / r["n"],
    }


def connections_per_process(port: int) -> str:
    """How the clients' connections are spread over the server's worker processes ("16/4").

    With uvicorn's own workers (one shared listening socket) a burst of new keep-alive
    connections could land mostly on one worker (18/2), leaving the other core idle; on Linux
    the portal's workers now listen on one SO_REUSEPORT socket each and the kernel spreads them
    (portal/serve_workers.py). From `ss`; "" without it.
    """
    ss = shutil.which("ss")
    if ss is None:
        return ""
    listing = subprocess.run(
        [ss, "-tnpH", "state", "established", f"sport = :{port}"], capture_output=True, text=True
    ).stdout
    pids = [part.split(",")[0] for part in listing.split("pid=")[1:]]
    counts = sorted((pids.count(p) for p in set(pids)), reverse=True)
    return "/".join(str(c) for c in counts)


def server_cpu_seconds(pid: int) -> float:
    """User + system CPU of the server process and its worker children so far (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry.name) == pid or int(fields[1]) == pid:  # fields[1] is the parent pid
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def scenarios(port: int, pid: int, tokens: list[str], seconds: float, cookie: str = ""
              ) -> dict[str, dict]:
    """Baseline, form page, submission and the region's overview, each for `seconds` after a
    short warm-up."""
    use_wrk = WRK is not None and os.environ.get("ARSHJUL_BENCH_CLIENT") != "python"

    def get(paths: list[str], cookie: str = ""):
        if use_wrk:
            return lambda secs: wrk_load(port, paths, secs, cookie)
        plan = [[_request("GET", paths[i % len(paths)], cookie=cookie)] for i in range(CLIENTS)]
        return lambda secs: python_load(port, plan, secs)

    post = [[_request("POST", f"/a/{t}", submission(t))] for t in tokens]
    plans = {
        "baseline GET /healthz": get(["/healthz"]),
        "GET form page": get([f"/a/{t}" for t in tokens]),
        "POST submit": lambda secs: python_load(port, post, secs),
        # The coordinator's year (docs/coordinator.md) for a region: 300 units, 5,000 people.
        "GET /oversikt (region)": get(["/oversikt?ar=2027"], f"arshjul_samordning={cookie}"),
    }
    out = {}
    for name, load in plans.items():
        load(0.5)
        cpu = server_cpu_seconds(pid)
        out[name] = load(seconds)
        out[name]["cpu_ms"] = (server_cpu_seconds(pid) - cpu) * 1000 / out[name]["n"]
    return out


def run_on(url: str, label: str, seconds: float, workers: int) -> dict[str, dict]:
    tokens = seed(url)
    cookie = seed_region(url, NOW)
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
        results = scenarios(port, portal.pid, tokens, seconds, cookie)
    print(f"\n{label}, {workers} worker process(es)")
    base = results["baseline GET /healthz"]["rps"]
    for name, r in results.items():
        print(
            f"  {name:24} {r['rps']:7.0f} req/s  p50 {r['p50']:6.1f} ms  p95 {r['p95']:6.1f} ms"
            f"  server CPU {r['cpu_ms']:5.2f} ms/req  client {r['client']} CPU"
            f" {r['client_cpu_ms']:5.2f} ms/req  n={r['n']} codes={r['codes']}"
            f"  ratio to baseline {r['rps'] / base:.2f}"
            + (f"  connections per worker {r['split']}" if r.get("split") else "")
        )
    return results


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 5.0
    workers = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    get_settings.cache_clear()
    use_wrk = WRK is not None and os.environ.get("ARSHJUL_BENCH_CLIENT") != "python"
    print(
        f"load generator: {'wrk (' + WRK + '), one thread' if use_wrk else 'Python asyncio'} for"
        " GETs, Python asyncio for POSTs; load average at start"
        f" {' / '.join(f'{x:.1f}' for x in os.getloadavg())} (1/5/15 min)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        run_on(f"sqlite:///{tmp}/bench.db", "SQLite", seconds, workers)
    with db.scratch_database(PG_SERVER, "arshjul_bench_portal") as pg_url:
        run_on(pg_url, "PostgreSQL", seconds, workers)
    print(
        f"\n{CLIENTS} concurrent clients, {seconds:g} s per scenario, {os.cpu_count()} cores, "
        f"load average at end {' / '.join(f'{x:.1f}' for x in os.getloadavg())} (1/5/15 min)"
    )


if __name__ == "__main__":
    main()
