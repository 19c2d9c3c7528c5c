"""Channels a digest goes through: SMTP (one connection per batch), the .eml outbox, apprise.

Plain classes, no Prefect: tasks/deliver.py drives them. Errors are sorted into
`TransientDeliveryError` (worth retrying on a later tick: connection trouble, 4xx) and
`PermanentDeliveryError` (5xx for this recipient, no address): the ledger retries only the former.
`UncertainDeliveryError` (a transient one) says the server had the whole message when the
connection failed: it may have been delivered, so it is never sent again on the same connection
or in the same batch.
"""

from __future__ import annotations

import os
import smtplib
import ssl
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from models.errors import DeliveryError
from models.notify.digest import Mail
from tasks.smtp_transaction import UncertainError, transaction


@dataclass(frozen=True)
class Timeouts:
    """Seconds to wait for each answer of the server, as RFC 5321 section 4.5.3.2 asks of a
    client: a busy server may take minutes, above all to accept the data of a message."""

    greeting: float = 300  # the 220 after connecting (5 min)
    command: float = 300  # MAIL, RCPT (5 min each)
    data_start: float = 120  # the 354 after DATA (2 min)
    data_block: float = 180  # each write of the message (3 min)
    data_end: float = 600  # the answer to the final "." (10 min)


#: What SmtpSender waits unless told otherwise (tests shrink it to try a silent server).
TIMEOUTS = Timeouts()


class TransientDeliveryError(DeliveryError):
    """Worth another attempt on a later tick."""


class UncertainDeliveryError(TransientDeliveryError):
    """The server had the whole message when the connection failed: it may have delivered it."""


class PermanentDeliveryError(DeliveryError):
    """Will fail again: bad address, refused for good."""


class SmtpSender:
    """Sends messages over one SMTP connection, reconnecting once when the server hangs up.

    `smtp://user:pass@host:port` (plain; `?starttls=true` upgrades), `smtps://…` (implicit TLS).
    The TLS context is built once per sender, not per message.
    """

    def __init__(self, url: str, *, timeout: float | None = None,
                 timeouts: Timeouts | None = None):
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps"):
            raise ValueError(f"ARSHJUL_SMTP_URL: scheme '{parts.scheme}' (use smtp:// or smtps://)")
        self.tls = parts.scheme == "smtps"
        self.starttls = parse_qs(parts.query).get("starttls", ["false"])[0].lower() in ("1", "true")
        self.host = parts.hostname or "localhost"
        self.port = parts.port or (465 if self.tls else 25)
        self.user = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.timeouts = timeouts or TIMEOUTS
        if timeout is not None:  # one value for every wait
            self.timeouts = Timeouts(*(timeout,) * 5)
        self.context = ssl.create_default_context() if (self.tls or self.starttls) else None
        self.conn: smtplib.SMTP | None = None
        self.failures = 0
        #: Work to do while the server accepts a message's data (the next digest's rendering);
        #: it must not raise, the message being with the server by then.
        self.idle: Callable[[], None] | None = None

    def _connect(self) -> smtplib.SMTP:
        try:
            if self.tls:
                conn = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeouts.greeting,
                                        context=self.context)
            else:
                conn = smtplib.SMTP(self.host, self.port, timeout=self.timeouts.greeting)
                if self.starttls:
                    conn.starttls(context=self.context)
            if self.user:
                conn.login(self.user, self.password or "")
            return conn
        except (OSError, smtplib.SMTPException) as exc:
            self.failures += 1
            raise TransientDeliveryError(f"SMTP {self.host}:{self.port}: {exc}") from exc

    def send(self, mail: Mail, meanwhile: Callable[[], None] | None = None) -> None:
        """Send one message; raises Transient/PermanentDeliveryError.

        `meanwhile` runs exactly once, while the server answers this message's MAIL command
        (or before an error is raised): the caller records the previous message there, so its
        ledger commit overlaps the round trip instead of adding to it. Nothing of this message
        has been handed over when it runs, so at most one sent message is ever unrecorded.
        """
        pending = [meanwhile] if meanwhile else []

        def run_pending() -> None:
            while pending:
                pending.pop()()

        try:
            self._send(mail, run_pending)
        finally:
            run_pending()

    def _send(self, mail: Mail, meanwhile: Callable[[], None]) -> None:
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = self._connect()
            try:
                transaction(self.conn, mail, meanwhile, self.timeouts, self.idle)
                self.failures = 0
                return
            except UncertainError as exc:
                self.conn, self.failures = None, self.failures + 1
                raise UncertainDeliveryError(str(exc)) from exc
            except smtplib.SMTPServerDisconnected as exc:  # before the data: nothing handed over
                self.conn = None  # stale pooled connection: reconnect once
                if attempt == 2:
                    self.failures += 1
                    raise TransientDeliveryError(f"SMTP disconnected: {exc}") from exc
            except smtplib.SMTPRecipientsRefused as exc:
                raise _by_code(_first_code(exc.recipients), f"recipient refused: {exc}") from exc
            except smtplib.SMTPResponseException as exc:
                raise _by_code(exc.smtp_code, f"SMTP {exc.smtp_code}: {exc.smtp_error!r}") from exc
            except OSError as exc:
                self.conn, self.failures = None, self.failures + 1
                raise TransientDeliveryError(f"SMTP connection: {exc}") from exc
            except BaseException:
                # `meanwhile` failed (the store): the server is still to answer MAIL (and DATA,
                # pipelined), so this connection is mid-transaction; the next one starts fresh.
                self.conn.close()
                self.conn = None
                raise

    def close(self) -> None:
        if self.conn is not None:
            try:
                self.conn.quit()
            except (OSError, smtplib.SMTPException):
                pass
            self.conn = None

    def __enter__(self) -> SmtpSender:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _first_code(recipients: dict) -> int:
    return next(iter(recipients.values()))[0] if recipients else 550


def _by_code(code: int, text: str) -> DeliveryError:
    return PermanentDeliveryError(text) if 500 <= code < 600 else TransientDeliveryError(text)


class OutboxSender:
    """Writes each message as an RFC 5322 .eml file (the embedded default without SMTP)."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self.failures = 0
        self.made = False  # the directory, once per sender (again after a failed write)

    def send(self, mail: Mail, meanwhile: Callable[[], None] | None = None) -> None:
        if meanwhile:
            meanwhile()  # the previous message's record, before this one is written
        name = (mail.message_id or uuid.uuid4().hex).strip("<>").split("@")[0]
        try:
            if not self.made:
                self.directory.mkdir(parents=True, exist_ok=True)
                self.made = True
            _write_file(os.path.join(self.directory, f".{name}.tmp"),
                        os.path.join(self.directory, f"{name}.eml"), mail.data)
        except OSError as exc:
            self.failures, self.made = self.failures + 1, False
            raise TransientDeliveryError(f"outbox {self.directory}: {exc.strerror}") from exc
        self.failures = 0

    def close(self) -> None:
        pass

    def __enter__(self) -> OutboxSender:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _write_file(tmp: str, final: str, data: bytes) -> None:
    """`data` as the file `final`, written as `tmp` first: readers never see half a file.
    Plain system calls: a Python file object per message cost more than the writing."""
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)
    os.replace(tmp, final)


def push_channels(urls: list[str], title: str, body: str) -> None:
    """Send a short notice to apprise URLs; apprise does not raise, so check its result."""
    import apprise

    hub = apprise.Apprise()
    for url in urls:
        if not hub.add(url):
            raise PermanentDeliveryError(f"not a usable apprise URL (#{urls.index(url) + 1})")
    if not hub.notify(title=title, body=body):
        raise TransientDeliveryError(f"apprise: {len(urls)} channel(s) did not accept the notice")
