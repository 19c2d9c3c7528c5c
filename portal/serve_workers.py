"""Several portal processes, each with its own listening socket (SO_REUSEPORT, Linux).

uvicorn's `--workers` shares one listening socket and whichever worker wakes first accepts: a
burst of new keep-alive connections lands mostly on one process (the bench saw 18/2), leaving
the other cores idle while those clients queue. Here every worker binds its own socket to the
same address with SO_REUSEPORT and the kernel hashes each new connection to one of them, so
connections spread evenly. The parent binds the sockets (a taken port fails here, cleanly),
hands one to each spawned worker and waits; on SIGINT/SIGTERM, or when any worker exits on its
own, it stops them all (SIGTERM: uvicorn's graceful shutdown) and returns.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import socket
from multiprocessing.connection import wait

import uvicorn

from models.errors import InputError
from models.i18n import _

SUPPORTED = hasattr(socket, "SO_REUSEPORT") and os.uname().sysname == "Linux"
_spawn = multiprocessing.get_context("spawn")


def _bind(host: str, port: int, reuse_port: bool) -> socket.socket:
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise InputError(
            _("kan inte lyssna på {host}:{port}: {exc_strerror}", host=host, port=port, exc_strerror=exc.strerror)
        ) from exc
    return sock


def _worker(config: uvicorn.Config, sock: socket.socket) -> None:
    config.configure_logging()
    try:
        uvicorn.Server(config).run(sockets=[sock])
    except KeyboardInterrupt:  # Ctrl-C reaches the whole process group; the parent handles it
        pass


def serve_workers(config: uvicorn.Config, workers: int) -> int:
    """Run `workers` uvicorn servers for `config` (host/port from it); their worst exit code."""
    # A plain bind first: SO_REUSEPORT alone would silently share the port with another
    # `arshjul portal` already listening there.
    _bind(config.host, config.port, reuse_port=False).close()
    sockets = [_bind(config.host, config.port, reuse_port=True) for _ in range(workers)]
    for sock in sockets:
        sock.listen(config.backlog)
    stop = False

    def on_signal(signum, frame) -> None:
        nonlocal stop
        stop = True

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    procs = [_spawn.Process(target=_worker, args=(config, sock)) for sock in sockets]
    try:
        for proc in procs:
            proc.start()
        for sock in sockets:  # the workers hold their own copies
            sock.close()
        logging.getLogger("uvicorn.error").info(
            "%d workers on http://%s:%d (one SO_REUSEPORT socket each)",
            workers,
            config.host,
            config.port,
        )
        while not stop and all(p.is_alive() for p in procs):
            wait([p.sentinel for p in procs], timeout=0.5)
    finally:
        for proc in procs:
            if proc.is_alive():
                proc.terminate()
        for proc in procs:
            if proc.pid is not None:
                proc.join(timeout=30)
                if proc.is_alive():
                    proc.kill()
                    proc.join()
        for s, handler in previous.items():
            signal.signal(s, handler)
    return max((abs(p.exitcode or 0) for p in procs if not stop), default=0)
