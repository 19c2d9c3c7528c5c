"""A Prefect server this process starts and stops itself (used by `serve`, `demo` and tests).

The server runs as a child process in its own session, so a Ctrl-C in the terminal reaches only
the `arshjul` process, which then stops its children in order.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from models.errors import InputError
from models.i18n import _

#: Environment every Prefect process we start gets: no telemetry (no network here).
QUIET = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_UI_SHOW_PROMOTIONAL_CONTENT": "false",
}


def template_path() -> Path:
    """Where a migrated, empty Prefect database is cached between demos (per Prefect version)."""
    import prefect

    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "arshjul" / f"prefect-{prefect.__version__}.db"


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def port_in_use(host: str, port: int) -> bool:
    """True when something already listens on host:port."""
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


class LocalPrefectServer:
    """`prefect server start` as a child process with its own PREFECT_HOME."""

    def __init__(
        self,
        home: Path,
        *,
        host: str = "127.0.0.1",
        port: int = 4200,
        database_url: str | None = None,
        scheduler: bool = True,
        extra_env: dict[str, str] | None = None,
        template: Path | None = None,
        auth: str | None = None,
    ) -> None:
        self.home = Path(home).resolve()
        self.host, self.port = host, port
        self.database_url = database_url
        self.scheduler = scheduler
        self.extra_env = extra_env or {}
        self.template = None if database_url else template
        #: "user:password" for PREFECT_SERVER_API_AUTH_STRING (basic auth on the API and UI).
        self.auth = auth
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        """Base URL of the UI."""
        return f"http://{self.host}:{self.port}"

    @property
    def api_url(self) -> str:
        """PREFECT_API_URL of this server."""
        return f"{self.url}/api"

    @property
    def log_path(self) -> Path:
        return self.home / "server.log"

    def env(self) -> dict[str, str]:
        """Environment of the server process."""
        env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
        # The UI calls the API at PREFECT_UI_API_URL, which otherwise assumes port 4200.
        env.update(QUIET, PREFECT_HOME=str(self.home), PREFECT_UI_API_URL=self.api_url,
                   PREFECT_SERVER_API_HOST=self.host, PREFECT_SERVER_API_PORT=str(self.port),
                   **self.extra_env)
        if self.database_url:
            env["PREFECT_API_DATABASE_CONNECTION_URL"] = self.database_url
        if self.auth:
            env["PREFECT_SERVER_API_AUTH_STRING"] = self.auth
        return env

    def start(self, timeout: float = 180) -> str:
        """Start the server and wait until its API answers; returns the API URL."""
        if port_in_use(self.host, self.port):
            raise InputError(
                _("port {port} på {host} är upptagen: välj en annan med --prefect-port",
                  port=self.port, host=self.host)
            )
        self.home.mkdir(parents=True, exist_ok=True)
        fresh = not self.database_path.exists()
        if fresh and self.template and self.template.exists():
            shutil.copyfile(self.template, self.database_path)  # skips ~100 migrations
        command = [sys.executable, "-m", "prefect", "server", "start",
                   "--host", self.host, "--port", str(self.port)]
        if not self.scheduler:
            command.append("--no-scheduler")
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                command, env=self.env(), stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True,
            )
        self.wait_healthy(timeout)
        if fresh and self.template and not self.template.exists():
            self.save_template()
        return self.api_url

    @property
    def database_path(self) -> Path:
        """The server's SQLite file (PREFECT_HOME/prefect.db, Prefect's default)."""
        return self.home / "prefect.db"

    def save_template(self) -> None:
        """Keep a consistent copy of the freshly migrated database for the next fresh start."""
        self.template.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.template.with_name(self.template.name + f".{os.getpid()}.tmp")
        with sqlite3.connect(self.database_path) as source, sqlite3.connect(tmp) as target:
            source.backup(target)
        os.replace(tmp, self.template)

    def wait_healthy(self, timeout: float) -> None:
        """Poll /api/health until it answers 200; fail early if the process died."""
        import httpx

        deadline = time.monotonic() + timeout
        process = self.process  # stop() from another thread clears the attribute
        while time.monotonic() < deadline:
            if process is not None and process.poll() is not None:
                raise RuntimeError(
                    _("Prefect-servern avslutades; se {self_log_path}:\n{value}", self_log_path=self.log_path, value=self.log_tail())
                )
            try:
                auth = tuple(self.auth.split(":", 1)) if self.auth else None
                if httpx.get(f"{self.api_url}/health", timeout=2, auth=auth).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(
            _("Prefect-servern svarade inte inom {timeout:.0f} s; se {self_log_path}", timeout=timeout, self_log_path=self.log_path)
        )

    def log_tail(self, lines: int = 20) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self, timeout: float = 20) -> None:
        """Stop the server (SIGTERM to its process group, SIGKILL if it lingers)."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        _signal_group(process, signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            _signal_group(process, signal.SIGKILL)
            process.wait(10)

    def __enter__(self) -> LocalPrefectServer:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        pass
