"""The load generators and server measurements of bench/portal.py.

Closed loop: N keep-alive HTTP/1.1 connections, each sending its next request as soon as the
previous answer arrives, for a fixed time. `wrk` (one thread) when installed, else a Python
asyncio client. Only answered requests with a 2xx/3xx status count as requests (throughput and
latency); other statuses, timeouts and socket errors are counted separately as errors.
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

#: An answer slower than this is a timeout (an error), and the connection is opened anew.
TIMEOUT = 5.0


def request(method: str, path: str, body: bytes = b"", cookie: str = "") -> bytes:
    """One HTTP/1.1 keep-alive request as bytes."""
    head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n"
    if cookie:
        head += f"Cookie: {cookie}\r\n"
    if method == "POST":
        head += "Content-Type: application/x-www-form-urlencoded\r\n"
        head += f"Content-Length: {len(body)}\r\nSec-Fetch-Site: same-origin\r\n"
    return (head + "\r\n").encode() + body


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


async def _client(port: int, requests: list[bytes], until: float, out: dict) -> None:
    i, writer = 0, None
    while time.perf_counter() < until:
        try:
            if writer is None:
                reader, writer = await asyncio.wait_for(
                    asyncio.open_connection("127.0.0.1", port), TIMEOUT)
            start = time.perf_counter()
            writer.write(requests[i % len(requests)])
            await writer.drain()
            status = await asyncio.wait_for(_read_response(reader), TIMEOUT)
        except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError) as exc:
            kind = "timeout" if isinstance(exc, asyncio.TimeoutError) else "socket"
            out["errors"][kind] = out["errors"].get(kind, 0) + 1
            if writer is not None:
                writer.close()
            writer = None
            continue
        i += 1
        if status < 400:
            out["lat"].append(time.perf_counter() - start)
        else:
            out["errors"][status] = out["errors"].get(status, 0) + 1
    if writer is not None:
        writer.close()


def summary(lat: list[float], elapsed: float, errors: dict) -> dict:
    """Requests/s and latency percentiles of the answered requests; None when there were none."""
    lat = sorted(lat)
    n = len(lat)
    return {
        "rps": n / elapsed if elapsed > 0 else 0.0,
        "p50": lat[n // 2] * 1000 if n else None,
        "p95": lat[max(0, -(-n * 95 // 100) - 1)] * 1000 if n else None,
        "n": n,
        "errors": errors,
    }


def python_load(port: int, per_client: list[list[bytes]], seconds: float) -> dict:
    """The Python asyncio client: connection i sends per_client[i] in turn."""
    cpu = time.process_time()
    out: dict = {"lat": [], "errors": {}}

    async def run() -> float:
        began = time.perf_counter()
        until = began + seconds
        await asyncio.gather(*(_client(port, reqs, until, out) for reqs in per_client))
        return time.perf_counter() - began

    result = summary(out["lat"], asyncio.run(run()), out["errors"])
    result["client"] = "python"
    result["client_cpu_ms"] = (time.process_time() - cpu) * 1000 / max(1, result["n"])
    return result


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
    '{"n": %%d, "us": %%d, "bad": %%d, "socket": %%d, "timeout": %%d, "p50": %%d, "p95": %%d}\\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write, e.timeout,
    latency:percentile(50), latency:percentile(95)))
end
"""


def wrk_load(port: int, paths: list[str], seconds: float, clients: int, cookie: str = "") -> dict:
    """wrk, one thread, `clients` connections, GET `paths` in turn; figures from its summary.

    wrk's percentiles include the non-2xx answers (there are none when the errors are 0)."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        headers = f'["Cookie"] = {json.dumps(cookie)}' if cookie else ""
        script.write(_WRK_LUA % (", ".join(json.dumps(p) for p in paths), headers))
        script.flush()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        command = [WRK, "-t1", f"-c{clients}", f"-d{max(1, round(seconds))}s",
                   f"--timeout={TIMEOUT:g}s", "-s", script.name]
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
    errors = {k: v for k, v in (("non-2xx/3xx", r["bad"]), ("socket", r["socket"]),
                                ("timeout", r["timeout"])) if v}
    return {
        "rps": ok / (r["us"] / 1e6),
        "p50": r["p50"] / 1000 if ok else None,
        "p95": r["p95"] / 1000 if ok else None,
        "n": ok,
        "errors": errors,
        "client": "wrk",
        "split": split,
        "client_cpu_ms": cpu * 1000 / max(1, ok),
    }


def connections_per_process(port: int) -> str:
    """How the clients' connections are spread over the server's worker processes ("16/4"),
    from `ss` ("" without it): each worker listens on its own SO_REUSEPORT socket. Connections
    still waiting in a listening socket's queue (no process holds them yet) are added as
    "+N waiting"."""
    ss = shutil.which("ss")
    if ss is None:
        return ""
    listing = subprocess.run(
        [ss, "-tnpH", "state", "established", f"sport = :{port}"], capture_output=True, text=True
    ).stdout
    pids = [part.split(",")[0] for part in listing.split("pid=")[1:]]
    counts = sorted((pids.count(p) for p in set(pids)), reverse=True)
    waiting = sum(1 for line in listing.splitlines() if line.strip() and "pid=" not in line)
    return "/".join(str(c) for c in counts) + (f" +{waiting} waiting" if waiting else "")


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
