"""A real xAPI LRS on loopback: Ralph (ralph-malph) in its own virtualenv, patched at start-up.

The virtualenv is created once (ARSHJUL_LRS_VENV, default .venv-lrs in the repository) with
`pip install 'ralph-malph[lrs,cli]' requests` (5.1 imports requests without declaring it).
See tests/tasks/lrs_launcher.py for the two patches and docs/campaigns.md for why.
"""

from __future__ import annotations

import fcntl
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from models.settings import ROOT

RALPH = "ralph-malph[lrs,cli]==5.1.0"
USER, PASSWORD = "lms", "lrs-secret"


def lrs_venv() -> Path:
    """The LRS's own virtualenv, created on first use (serialised between test workers)."""
    venv = Path(os.environ.get("ARSHJUL_LRS_VENV", ROOT / ".venv-lrs"))
    ready = venv / ".arshjul-lrs-ready"  # written only after a complete install
    if ready.exists():
        return venv
    venv.parent.mkdir(parents=True, exist_ok=True)
    with open(Path(tempfile.gettempdir()) / "arshjul-lrs-venv.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not ready.exists():
            subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
            subprocess.run([str(venv / "bin" / "pip"), "install", "-q", RALPH, "requests"],
                           check=True)
            ready.write_text(RALPH + "\n")
    return venv


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_lrs(workdir: Path) -> Iterator[str]:
    """Run the LRS with data and credentials under `workdir`; yields the xAPI endpoint URL."""
    venv = lrs_venv()
    env = {**os.environ, "RALPH_APP_DIR": str(workdir / "app"),
           "RALPH_AUTH_FILE": str(workdir / "auth.json"), "RALPH_RUNSERVER_BACKEND": "fs",
           "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(workdir / "data")}
    subprocess.run([str(venv / "bin" / "ralph"), "auth", "-u", USER, "-p", PASSWORD, "-s", "all",
                    "-M", "mailto:lms@example.se", "-w"], env=env, check=True,
                   capture_output=True)
    port = _free_port()
    launcher = Path(__file__).with_name("lrs_launcher.py")
    proc = subprocess.Popen([str(venv / "bin" / "python"), str(launcher), "127.0.0.1", str(port)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/xAPI/"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{port}/__heartbeat__", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("the LRS did not start") from None
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


def lrs_client(url: str) -> httpx.Client:
    """An httpx client for the LRS with its basic-auth credentials."""
    return httpx.Client(base_url=url, auth=(USER, PASSWORD), timeout=30)
