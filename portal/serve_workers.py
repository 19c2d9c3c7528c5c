"""Several portal processes, each with its own listening socket (SO_REUSEPORT, Linux).

uvicorn's `--workers` shares one listening socket and whichever worker wakes first accepts: a
burst of new keep-alive connections lands mostly on one process (the bench saw 18/2), leaving
the other cores idle while those clients queue. Here every worker binds its own socket to the
same address with SO_REUSEPORT and the kernel hashes each new connection to one of them, so
connections spread evenly. The parent binds the sockets (a taken port fails here, cleanly),
hands one to each spawned worker and waits; on SIGINT/SIGTERM, or when any worker exits on its
own, it stops them all (SIGTERM: uvicorn's graceful shutdown) and returns.

Each worker (and the single process without `--workers`) runs an `AcceptingServer`: uvicorn's
server, except that a listening socket's readiness callback accepts every connection waiting in
the kernel's queue, and the objects built at start-up are frozen out of the garbage collector's
view. See its docstring for the measurements.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import multiprocessing
import os
import signal
import socket
from multiprocessing.connection import wait

import uvicorn

from models.errors import InputError
from models.i18n import _

logger = logging.getLogger("uvicorn.error")
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


class AcceptingServer(uvicorn.Server):
    """uvicorn's server on sockets bound by the caller, fair to new connections.

    uvloop's libuv (since 1.45) accepts one connection per listening socket and loop iteration,
    and a busy worker's iteration first serves every request that is ready: with 100 clients
    connecting to 2 workers, the last connections waited 2.5-3.5 s in the kernel's accept queue
    (`ss`: Recv-Q of the listening sockets 38, 32, 26 ... 0 over 3 s), which alone set the
    form page's p95 at 2-3 s. Here every waiting connection is accepted at once, as asyncio's
    own loop does (that loop costs 13 % more instructions per /healthz request).

    After start-up, everything built so far (modules, the app, its templates) is moved out of the
    garbage collector's sight (`gc.freeze()`): a full collection walked it all and stopped the
    worker for 100-900 ms at a time under load (gc.callbacks), once every few thousand requests.
    """

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=[])  # the lifespan and the state, no listener of its own
        loop = asyncio.get_running_loop()
        self.servers = [_Acceptor(loop, sock, self._protocol) for sock in sockets or []]
        gc.collect()
        gc.freeze()

    def _protocol(self) -> asyncio.Protocol:
        return self.config.http_protocol_class(  # type: ignore[call-arg]
            config=self.config, server_state=self.server_state, app_state=self.lifespan.state
        )


class _Acceptor:
    """Accepts every waiting connection of a listening socket whenever it is readable; closes
    like the asyncio server that uvicorn's shutdown expects."""

    def __init__(self, loop: asyncio.AbstractEventLoop, sock: socket.socket, protocol) -> None:
        self._loop, self._sock, self._protocol = loop, sock, protocol
        self._starting: set[asyncio.Task] = set()
        self._closed = False
        sock.setblocking(False)
        loop.add_reader(sock.fileno(), self._accept)

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._sock.accept()
            except (BlockingIOError, InterruptedError):
                return
            except ConnectionAbortedError:
                continue
            except OSError as exc:  # out of descriptors or memory: pause, as asyncio's server does
                logger.error("accept failed (%s); pausing for a second", exc.strerror)
                self._loop.remove_reader(self._sock.fileno())
                self._loop.call_later(1.0, self._resume)
                return
            task = self._loop.create_task(self._loop.connect_accepted_socket(self._protocol, conn))
            self._starting.add(task)
            task.add_done_callback(self._started)

    def _started(self, task: asyncio.Task) -> None:
        self._starting.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.debug("a connection failed to start: %r", task.exception())

    def _resume(self) -> None:
        if not self._closed:
            self._loop.add_reader(self._sock.fileno(), self._accept)

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._loop.remove_reader(self._sock.fileno())

    async def wait_closed(self) -> None:
        return None


def _worker(config: uvicorn.Config, sock: socket.socket) -> None:
    config.configure_logging()
    try:
        AcceptingServer(config).run(sockets=[sock])
    except KeyboardInterrupt:  # Ctrl-C reaches the whole process group; the parent handles it
        pass


def listening(config: uvicorn.Config) -> socket.socket:
    """A socket listening on `config`'s host and port (a taken port: one clear InputError)."""
    sock = _bind(config.host, config.port, reuse_port=False)
    sock.listen(config.backlog)
    return sock


def serve_one(config: uvicorn.Config) -> int:
    """Run one `AcceptingServer` for `config` in this process; 0, or 3 (uvicorn's code) when it
    did not start."""
    sock = listening(config)
    server = AcceptingServer(config)
    logger.info("Uvicorn running on http://%s:%d (Press CTRL+C to quit)", config.host, config.port)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    return 0 if server.started else 3


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
        logger.info(
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
