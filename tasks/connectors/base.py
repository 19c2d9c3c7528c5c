"""What the connectors share: one error type and a request loop that honours Retry-After."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from email.utils import parsedate_to_datetime

import httpx

from models.errors import ArshjulError

#: Statuses that mean "come back later": throttled, or the service is busy.
RETRY_STATUSES = frozenset({429, 503})
#: Upper bound of a single wait, so a broken Retry-After cannot hang a sync for hours.
MAX_WAIT_SECONDS = 300.0


class ConnectorError(ArshjulError):
    """An outside system (directory, LRS) refused a request or could not be reached.

    Args:
        message: what failed and what to do about it.
        status: the HTTP status, when there was an answer.
        retryable: True for throttling, 5xx and network errors (worth a task retry).
    """

    def __init__(self, message: str, *, status: int | None = None, retryable: bool = False):
        super().__init__(message)
        self.status = status
        self.retryable = retryable


def retry_after_seconds(response: httpx.Response, default: float) -> float:
    """The wait a 429/503 asks for: Retry-After in seconds or as an HTTP date."""
    value = response.headers.get("Retry-After")
    if not value:
        return default
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return default
        seconds = when.timestamp() - time.time()
    return min(max(seconds, 0.0), MAX_WAIT_SECONDS)


def send(
    client: httpx.Client,
    method: str,
    url: str,
    *,
    what: str,
    sleep: Callable[[float], None] = time.sleep,
    attempts: int = 6,
    **kwargs,
) -> httpx.Response:
    """Send a request, waiting and retrying on 429/503 and network errors.

    Returns the first response that is not throttled (any status); raises ConnectorError
    when every attempt was throttled or failed on the network.
    """
    backoff = 1.0
    for attempt in range(1, attempts + 1):
        last = attempt == attempts
        try:
            response = client.request(method, url, **kwargs)
        except httpx.TransportError as exc:
            if last:
                raise ConnectorError(
                    f"{what}: could not reach the service ({exc.__class__.__name__}: {exc}); "
                    "check the URL and the network, the next run retries",
                    retryable=True,
                ) from exc
            sleep(backoff)
            backoff *= 2
            continue
        if response.status_code not in RETRY_STATUSES:
            return response
        if last:
            raise ConnectorError(
                f"{what}: still throttled (HTTP {response.status_code}) after {attempts} "
                "attempts; the next run continues",
                status=response.status_code,
                retryable=True,
            )
        sleep(retry_after_seconds(response, backoff))
        backoff *= 2
    raise AssertionError("unreachable")  # pragma: no cover


def prefetch(pages: Iterable, depth: int = 2) -> Iterator:
    """Iterate `pages` in a background thread, `depth` pages ahead, so the next page is on the
    wire while the caller stores this one. Exceptions surface in the caller, in order."""
    q: queue.Queue = queue.Queue(maxsize=depth)
    done = object()
    stop = threading.Event()

    def produce() -> None:
        try:
            for page in pages:
                while not stop.is_set():
                    try:
                        q.put(page, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            q.put(done)
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer
            q.put(exc)

    thread = threading.Thread(target=produce, daemon=True, name="prefetch")
    thread.start()
    try:
        while (item := q.get()) is not done:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
