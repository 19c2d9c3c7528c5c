"""A real portal server (uvicorn in a subprocess) on loopback, for browser tests and benches."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from models.settings import ROOT


def free_port() -> int:
    """A TCP port that is free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class RunningPortal:
    """A started portal: its base URL and the process id (workers are its children)."""

    url: str
    pid: int


@contextmanager
def running_portal(env: dict[str, str], log: Path, port: int | None = None, workers: int = 1):
    """Start `arshjul portal` on 127.0.0.1 with `env`; yields a RunningPortal; logs go to `log`."""
    port = port or free_port()
    code = (
        f"from portal.server import serve; serve(host='127.0.0.1', port={port}, workers={workers})"
    )
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait(base, proc, log)
            yield RunningPortal(base, proc.pid)
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def _wait(base: str, proc: subprocess.Popen, log: Path) -> None:
    for _ in range(200):
        if proc.poll() is not None:
            raise RuntimeError(f"portal exited: {log.read_text(errors='replace')}")
        try:
            if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    raise RuntimeError("portal did not start")
