#!/usr/bin/env python3
"""The README's two commands, from a fresh clone with only Python 3.11+ and pip:

    python3 run.py demo    # the main job on embedded defaults (SQLite, local Prefect, outbox)
    python3 run.py test    # the whole test suite (SQLite and PostgreSQL)

Each creates or refreshes the project's own virtual environment (.venv) first.
Extra arguments after `test` go to pytest; after `demo` to `arshjul demo`.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".arshjul-installed"
#: Debian packages the test suite drives: a real browser and LibreOffice for the DOCX check.
SYSTEM_PACKAGES = {
    "chromium": "/usr/bin/chromium",
    "libreoffice-writer-nogui": "/usr/bin/soffice",
    "fonts-dejavu-core": "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    # cairosvg draws the report's charts and wheel for the DOCX through the cairo library
    "libcairo2": "/usr/lib/x86_64-linux-gnu/libcairo.so.2",
}
NPM_DIRS = [ROOT / "tests" / "portal" / "browser"]


def sh(*args: str | Path, **kw) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    subprocess.run([str(a) for a in args], check=True, **kw)


def ensure_venv(extras: str) -> None:
    """Create .venv and install the project when pyproject.toml changed since the last install."""
    if not (BIN / "python").exists():
        sh(sys.executable, "-m", "venv", VENV)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == digest:
        return
    sh(BIN / "python", "-m", "pip", "install", "-q", "--upgrade", "pip")
    sh(BIN / "python", "-m", "pip", "install", "-q", "-e", f".[{extras}]", cwd=ROOT)
    STAMP.write_text(digest)


def ensure_postgres() -> None:
    """Start the local PostgreSQL cluster if nothing listens on 127.0.0.1:5432."""
    if _listening(5432):
        return
    clusters = Path("/etc/postgresql")
    if shutil.which("pg_ctlcluster") and clusters.exists():
        version = sorted(p.name for p in clusters.iterdir())[-1]
        sh("pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start")
        for _ in range(30):
            if _listening(5432):
                return
            time.sleep(1)
    sys.exit("PostgreSQL is not running on 127.0.0.1:5432 and could not be started; see README.")


def ensure_system_packages() -> None:
    """Install the Debian packages the browser and document tests need (as root, when missing)."""
    missing = [pkg for pkg, path in SYSTEM_PACKAGES.items() if not Path(path).exists()]
    if not shutil.which("npm"):
        missing.append("npm")  # brings Node.js for the axe-core / playwright-core browser tests
    if not missing:
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        sys.exit(f"Missing system packages: {' '.join(missing)} (install them with apt-get).")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    sh("apt-get", "update", "-qq", env=env)
    sh("apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing, env=env)


def ensure_npm() -> None:
    """Install the npm packages of browser tests (axe-core, playwright-core) when missing."""
    for folder in NPM_DIRS:
        if (folder / "package.json").exists() and not (folder / "node_modules").exists():
            verb = "ci" if (folder / "package-lock.json").exists() else "install"
            sh("npm", verb, "--no-audit", "--no-fund", "--silent", cwd=folder)


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def main() -> None:
    command, rest = (sys.argv[1], sys.argv[2:]) if len(sys.argv) > 1 else ("", [])
    env = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    if command == "demo":
        ensure_venv("test")
        os.execve(BIN / "arshjul", [str(BIN / "arshjul"), "demo", *rest], env)
    elif command == "test":
        ensure_venv("test")
        ensure_postgres()
        ensure_system_packages()
        ensure_npm()
        args = [str(BIN / "python"), "-m", "pytest", "-n", "2", "--dist", "loadfile", *rest]
        sys.exit(subprocess.run(args, cwd=ROOT, env=env).returncode)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
