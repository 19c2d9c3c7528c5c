"""Serving the portal with uvicorn.

Tokens travel in the URL path (`/a/<token>`), so the request line is a credential: uvicorn's
access log is switched off and the portal logs no request lines of its own. Answers are never
logged either. Put a reverse proxy with TLS in front in production and keep its access log free
of paths too (e.g. nginx `log_format` without `$request`), or log `$uri` with the token masked.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from pathlib import Path

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from models.i18n import _
from models.settings import get_settings
from portal import serve_workers
from portal.app import create_app
from portal.security import check_secret_key


class _NoDelay:
    """TCP_NODELAY on every connection.

    With `--workers` uvicorn binds the listening socket itself with protocol number 0, and
    asyncio then skips TCP_NODELAY on accepted connections: each response (headers and body are
    two writes) waited ~40 ms for the client's delayed ACK. Setting it here fixes both modes.
    """

    def connection_made(self, transport) -> None:  # type: ignore[override]
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)  # type: ignore[misc]


class NoDelayH11Protocol(_NoDelay, H11Protocol):
    """uvicorn's pure-Python HTTP/1.1 protocol with TCP_NODELAY."""


try:  # the C parser (uvicorn[standard]) when installed: less CPU per request
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    class NoDelayHttpToolsProtocol(_NoDelay, HttpToolsProtocol):
        """uvicorn's httptools HTTP/1.1 protocol with TCP_NODELAY."""

    HTTP_PROTOCOL: type = NoDelayHttpToolsProtocol
except ImportError:  # pragma: no cover - httptools is a declared dependency
    HTTP_PROTOCOL = NoDelayH11Protocol


def options(host: str, port: int) -> dict:
    """uvicorn's settings for the portal, in its own process or in a thread of another."""
    return {
        "host": host,
        "port": port,
        "access_log": False,
        "server_header": False,
        "log_level": "info",
        "proxy_headers": True,
        "forwarded_allow_ips": "127.0.0.1",
        "http": HTTP_PROTOCOL,
    }


def serve(host: str = "127.0.0.1", port: int = 8000, workers: int = 1) -> None:
    """Run the portal until interrupted (refuses to start without a proper secret key).

    Args:
        host: interface to listen on. port: TCP port.
        workers: processes; more than one uses several cores (each builds its own app and, on
            Linux, listens on its own SO_REUSEPORT socket). Each process accepts every waiting
            connection at once and freezes its start-up objects for the GC: see
            portal/serve_workers.py.
    """
    check_secret_key(get_settings())  # fail here, cleanly, before any worker starts
    common = options(host, port)
    if workers > 1 and serve_workers.SUPPORTED:  # one socket per worker: even spread (Linux)
        config = uvicorn.Config("portal.app:create_app", factory=True, **common)
        if code := serve_workers.serve_workers(config, workers):
            raise SystemExit(code)
    elif workers > 1:
        uvicorn.run("portal.app:create_app", factory=True, workers=workers, **common)
    elif code := serve_workers.serve_one(uvicorn.Config(create_app(), **common)):
        raise SystemExit(code)


class PortalThread:
    """The portal (one uvicorn server) in a thread of this process: `arshjul serve` and the demo
    run it beside their own work instead of in a Python interpreter of its own.

    The portal's log lines go to `log_path` when given (else to this process's logging); logging's
    own configuration is left alone (no dictConfig), so the host's other handlers stay as they are.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 8000, *, log_level: str = "info",
                 log_path: Path | None = None) -> None:
        config = uvicorn.Config(create_app(), **{**options(host, port), "log_level": log_level},
                                log_config=None)
        if log_path is not None:
            _log_to(log_path)
        # the same server as `arshjul portal`: every waiting connection accepted at once
        self.sock = serve_workers.listening(config)
        self.server = serve_workers.AcceptingServer(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]},
                                       name="portal", daemon=True)

    def __enter__(self) -> PortalThread:
        self.thread.start()
        while not self.server.started:
            if not self.thread.is_alive():
                raise RuntimeError(_("portalen startade inte"))
            time.sleep(0.05)
        config = self.server.config
        logging.getLogger("uvicorn.error").info("Uvicorn running on http://%s:%d", config.host,
                                                config.port)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.sock.close()


def _log_to(path: Path) -> None:
    """The portal's loggers (uvicorn's and its own) write to `path`, not to the host's terminal."""
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    for name in ("uvicorn", "arshjul.portal"):
        logger = logging.getLogger(name)
        logger.handlers = [handler]  # instead of any the host's logging set up (Prefect's console)
        logger.propagate = False
