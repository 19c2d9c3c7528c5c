"""`arshjul portal --workers 2` on Linux: one SO_REUSEPORT socket per worker, connections spread;
every process takes a burst of new connections at once."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import time
from pathlib import Path

import pytest
import uvloop

from portal import serve_workers
from tests.portal.portal_data import NOW, SECRET
from tests.portal.portal_server import running_portal


def alive(pid: int) -> bool:
    """Whether `pid` runs (not gone, not a zombie)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def children(pid: int) -> list[int]:
    """Live child processes of `pid` (Linux /proc): the workers and multiprocessing's tracker."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if entry.name.isdigit() and int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(entry.name))
    return found


@pytest.mark.slow
def test_workers_each_listen_and_share_the_connections_and_stop_together(store, tmp_path):
    assert serve_workers.SUPPORTED  # this product's servers run Linux; `ss` is iproute2's
    env = {
        "ARSHJUL_DATABASE_URL": store,
        "ARSHJUL_SECRET_KEY": SECRET,
        "ARSHJUL_NOW": NOW.isoformat(),
    }
    with running_portal(env, tmp_path / "portal.log", workers=2) as portal:
        port = int(portal.url.rsplit(":", 1)[1])
        workers = children(portal.pid)
        conns = [socket.create_connection(("127.0.0.1", port)) for _ in range(20)]
        for conn in conns:  # answered, so accepted by one of the workers
            conn.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            assert conn.recv(4096).startswith(b"HTTP/1.1 200")
        ss = ["ss", "-tnpH", "state", "established", f"sport = :{port}"]
        listing = subprocess.run(ss, capture_output=True, text=True).stdout
        for conn in conns:
            conn.close()
        with pytest.raises(Exception, match="Address already in use"):  # no silent sharing
            serve_workers._bind("127.0.0.1", port, reuse_port=False)
    per_worker = [listing.count(f"pid={pid},") for pid in workers]
    assert sum(per_worker) == 20 and sorted(per_worker)[-2] >= 3, per_worker
    assert children(portal.pid) == []  # parent and workers gone, no orphans
    # multiprocessing's resource tracker (also a child) exits on its own once it sees its parent
    # gone; give the stragglers a moment rather than racing them
    deadline = time.monotonic() + 20
    while [p for p in workers if alive(p)] and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [p for p in workers if alive(p)]


def test_one_wakeup_takes_every_waiting_connection():
    """A burst of new connections is taken in one go, not one per turn of a busy event loop
    (uvloop's own server), so the last of them are not left waiting behind the first ones'
    requests."""

    async def burst() -> int:
        listener = serve_workers._bind("127.0.0.1", 0, reuse_port=False)
        listener.listen(64)
        clients = [socket.create_connection(listener.getsockname()) for _ in range(20)]
        opened: list[asyncio.BaseTransport] = []

        class Recorder(asyncio.Protocol):
            def connection_made(self, transport) -> None:
                opened.append(transport)

        acceptor = serve_workers._Acceptor(asyncio.get_running_loop(), listener, Recorder)
        acceptor._accept()  # one readiness callback of the listening socket
        try:
            listener.accept()
            left = 1
        except BlockingIOError:
            left = 0
        for _ in range(200):  # the connections start on the loop
            if len(opened) == len(clients):
                break
            await asyncio.sleep(0.01)
        acceptor.close()
        for transport in opened:
            transport.close()
        for conn in [*clients, listener]:
            conn.close()
        assert len(opened) == len(clients)
        return left

    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        assert runner.run(burst()) == 0  # nothing left in the kernel's accept queue
