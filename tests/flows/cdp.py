"""Headless Chromium driven over the DevTools protocol: wait for text, then screenshot.

The Prefect UI is a JavaScript app that renders after its API calls return, so a one-shot
`--screenshot` can catch it half-drawn; here we poll the rendered text instead.
"""

from __future__ import annotations

import base64
import itertools
import json
import subprocess
import tempfile
import time
from pathlib import Path

import httpx
from websockets.sync.client import connect

from cli.prefect_server import free_port

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class Page:
    """One page of a Chromium we started; `call` sends a DevTools command and returns its result."""

    def __init__(self, ws) -> None:
        self.ws = ws
        self.ids = itertools.count(1)

    def call(self, method: str, **params):
        message_id = next(self.ids)
        self.ws.send(json.dumps({"id": message_id, "method": method, "params": params}))
        while True:
            reply = json.loads(self.ws.recv(timeout=60))
            if reply.get("id") == message_id:
                assert "error" not in reply, reply
                return reply["result"]

    def text(self) -> str:
        result = self.call("Runtime.evaluate", expression="document.body.innerText")
        return result["result"].get("value", "")

    def wait_for_text(self, needle: str, timeout: float = 90) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.text()
            if needle in text:
                return text
            time.sleep(0.5)
        raise AssertionError(f"{needle!r} never appeared; the page said:\n{text[:2000]}")

    def screenshot(self, path: Path) -> None:
        data = self.call("Page.captureScreenshot", format="png")["data"]
        path.write_bytes(base64.b64decode(data))


def open_page(url: str, *, width: int = 1440, height: int = 1000):
    """Start Chromium on `url` with a fresh profile; returns (process, Page, profile dir)."""
    port = free_port()
    # Chromium helper processes may still write to the profile as it exits.
    profile = tempfile.TemporaryDirectory(ignore_cleanup_errors=True)
    process = subprocess.Popen(
        ["/usr/bin/chromium", *FLAGS, f"--user-data-dir={profile.name}",
         f"--remote-debugging-port={port}", f"--window-size={width},{height}", url],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            targets = httpx.get(f"http://127.0.0.1:{port}/json", timeout=2).json()
            page = next(t for t in targets if t["type"] == "page")
            break
        except (httpx.HTTPError, StopIteration):
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise
            time.sleep(0.3)
    ws = connect(page["webSocketDebuggerUrl"], max_size=None, open_timeout=30)
    return process, Page(ws), profile


def screenshot_when(url: str, needle: str, path: Path) -> str:
    """Open `url`, wait until its rendered text contains `needle`, save a PNG; returns the text."""
    process, page, profile = open_page(url)
    try:
        text = page.wait_for_text(needle)
        time.sleep(1)  # let the fade-in finish so the screenshot is legible
        page.screenshot(path)
        return text
    finally:
        page.ws.close()
        process.terminate()
        process.wait(30)
        profile.cleanup()
