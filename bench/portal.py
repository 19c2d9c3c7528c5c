"""Portal load: the form page (GET) and a submission (POST) over real HTTP, 20 concurrent clients.

The portal runs as `arshjul portal` would (uvicorn, access log off) on 127.0.0.1, first on a
SQLite store, then on PostgreSQL (a scratch database on the local server). The load generator is
a separate process: 20 keep-alive HTTP/1.1 connections on asyncio, each sending its next request
as soon as the previous answer arrives, for a fixed time. Measured per scenario: requests/s, p50
and p95 latency, errors, and the server's CPU time per request (user + system of the server
processes from /proc: the figure that does not depend on what else the machine runs).
Baseline, same server and run: GET /healthz (a trivial endpoint behind the same middleware).
Submissions go to 20 different assignments (one per client; every POST stores a new version and
a receipt row).

Usage: .venv/bin/python bench/portal.py [SECONDS [WORKERS]]   (default 5 s per scenario, 2 workers:
one uvicorn process per core, as `arshjul portal --workers 2` runs it)
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from sqlalchemy import create_engine, text  # noqa: E402

from models import db  # noqa: E402
from models.cycle import Assignment, Cycle, StepInstance  # noqa: E402
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


def _request(method: str, path: str, body: bytes = b"") -> bytes:
    head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n"
    if method == "POST":
        head += "Content-Type: application/x-www-form-urlencoded\r\n"
        head += f"Content-Length: {len(body)}\r\nSec-Fetch-Site: same-origin\r\n"
    return (head + "\r\n").encode() + body


async def _load(port: int, per_client: list[list[bytes]], seconds: float) -> dict:
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


def scenarios(port: int, pid: int, tokens: list[str], seconds: float) -> dict[str, dict]:
    """Baseline, form page and submission, each for `seconds` after a short warm-up."""
    plans = {
        "baseline GET /healthz": [[_request("GET", "/healthz")]] * CLIENTS,
        "GET form page": [[_request("GET", f"/a/{t}")] for t in tokens],
        "POST submit": [[_request("POST", f"/a/{t}", submission(t))] for t in tokens],
    }
    out = {}
    for name, plan in plans.items():
        asyncio.run(_load(port, plan, 0.5))
        cpu = server_cpu_seconds(pid)
        out[name] = asyncio.run(_load(port, plan, seconds))
        out[name]["cpu_ms"] = (server_cpu_seconds(pid) - cpu) * 1000 / out[name]["n"]
    return out


def run_on(url: str, label: str, seconds: float, workers: int) -> dict[str, dict]:
    tokens = seed(url)
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
        results = scenarios(port, portal.pid, tokens, seconds)
    print(f"\n{label}, {workers} worker process(es)")
    base = results["baseline GET /healthz"]["rps"]
    for name, r in results.items():
        print(
            f"  {name:24} {r['rps']:7.0f} req/s  p50 {r['p50']:6.1f} ms  p95 {r['p95']:6.1f} ms"
            f"  server CPU {r['cpu_ms']:5.2f} ms/req  n={r['n']} codes={r['codes']}"
            f"  ratio to baseline {r['rps'] / base:.2f}"
        )
    return results


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 5.0
    workers = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    get_settings.cache_clear()
    with tempfile.TemporaryDirectory() as tmp:
        run_on(f"sqlite:///{tmp}/bench.db", "SQLite", seconds, workers)
    admin = create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    name = "arshjul_bench_portal"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        run_on(f"{PG_SERVER}/{name}", "PostgreSQL", seconds, workers)
    finally:
        db.reset_engines()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    print(
        f"\n{CLIENTS} concurrent clients, {seconds:g} s per scenario, {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
