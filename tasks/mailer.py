"""Channels a digest goes through: SMTP (one connection per batch), the .eml outbox, apprise.

Plain classes, no Prefect: tasks/deliver.py drives them. Errors are sorted into
`TransientDeliveryError` (worth retrying on a later tick: connection trouble, 4xx) and
`PermanentDeliveryError` (5xx for this recipient, no address): the ledger retries only the former.
"""

from __future__ import annotations

import os
import smtplib
import ssl
import uuid
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from models.errors import DeliveryError
from models.notify.digest import Mail

TIMEOUT = 30


class TransientDeliveryError(DeliveryError):
    """Worth another attempt on a later tick."""


class PermanentDeliveryError(DeliveryError):
    """Will fail again: bad address, refused for good."""


class SmtpSender:
    """Sends messages over one SMTP connection, reconnecting once when the server hangs up.

    `smtp://user:pass@host:port` (plain; `?starttls=true` upgrades), `smtps://…` (implicit TLS).
    The TLS context is built once per sender, not per message.
    """

    def __init__(self, url: str, *, timeout: float = TIMEOUT):
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps"):
            raise ValueError(f"ARSHJUL_SMTP_URL: scheme '{parts.scheme}' (use smtp:// or smtps://)")
        self.tls = parts.scheme == "smtps"
        self.starttls = parse_qs(parts.query).get("starttls", ["false"])[0].lower() in ("1", "true")
        self.host = parts.hostname or "localhost"
        self.port = parts.port or (465 if self.tls else 25)
        self.user = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.timeout = timeout
        self.context = ssl.create_default_context() if (self.tls or self.starttls) else None
        self.conn: smtplib.SMTP | None = None
        self.failures = 0

    def _connect(self) -> smtplib.SMTP:
        try:
            if self.tls:
                conn = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout,
                                        context=self.context)
            else:
                conn = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
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
                _transaction(self.conn, mail, meanwhile)
                self.failures = 0
                return
            except smtplib.SMTPServerDisconnected as exc:
                self.conn = None  # stale pooled connection: reconnect once
                if attempt == 2:
                    raise TransientDeliveryError(f"SMTP disconnected: {exc}") from exc
            except smtplib.SMTPRecipientsRefused as exc:
                raise _by_code(_first_code(exc.recipients), f"recipient refused: {exc}") from exc
            except smtplib.SMTPResponseException as exc:
                raise _by_code(exc.smtp_code, f"SMTP {exc.smtp_code}: {exc.smtp_error!r}") from exc
            except OSError as exc:
                self.conn = None
                raise TransientDeliveryError(f"SMTP connection: {exc}") from exc
            except BaseException:
                # `meanwhile` failed (the store): the server is still to answer MAIL, so this
                # connection is mid-transaction; start the next message on a fresh one.
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


def _transaction(conn: smtplib.SMTP, mail: Mail, meanwhile: Callable[[], None]) -> None:
    """One SMTP mail transaction (what `smtplib.SMTP.sendmail` does for one recipient), with
    `meanwhile` run between sending MAIL and reading its reply."""
    conn.ehlo_or_helo_if_needed()
    size = f" size={len(mail.data)}" if conn.does_esmtp and conn.has_extn("size") else ""
    conn.putcmd("mail", f"from:{smtplib.quoteaddr(mail.mail_from)}{size}")
    meanwhile()
    code, reply = conn.getreply()
    if code != 250:
        _abort(conn, code)
        raise smtplib.SMTPSenderRefused(code, reply, mail.mail_from)
    code, reply = conn.rcpt(mail.to)
    if code not in (250, 251):
        _abort(conn, code)
        raise smtplib.SMTPRecipientsRefused({mail.to: (code, reply)})
    code, reply = conn.data(mail.data)
    if code != 250:
        _abort(conn, code)
        raise smtplib.SMTPDataError(code, reply)


def _abort(conn: smtplib.SMTP, code: int) -> None:
    """After a refusal: hang up on 421 (the server is closing), else reset the transaction."""
    if code == 421:
        conn.close()
        return
    try:
        conn.rset()
    except smtplib.SMTPServerDisconnected:
        pass


def _first_code(recipients: dict) -> int:
    return next(iter(recipients.values()))[0] if recipients else 550


def _by_code(code: int, text: str) -> DeliveryError:
    return PermanentDeliveryError(text) if 500 <= code < 600 else TransientDeliveryError(text)


class OutboxSender:
    """Writes each message as an RFC 5322 .eml file (the embedded default without SMTP)."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self.failures = 0

    def send(self, mail: Mail, meanwhile: Callable[[], None] | None = None) -> None:
        if meanwhile:
            meanwhile()  # the previous message's record, before this one is written
        name = (mail.message_id or uuid.uuid4().hex).strip("<>").split("@")[0]
        final = self.directory / f"{name}.eml"
        tmp = self.directory / f".{name}.tmp"
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(mail.data)
            os.replace(tmp, final)  # readers never see half a file
        except OSError as exc:
            self.failures += 1
            raise TransientDeliveryError(f"outbox {self.directory}: {exc.strerror}") from exc
        self.failures = 0

    def close(self) -> None:
        pass

    def __enter__(self) -> OutboxSender:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def push_channels(urls: list[str], title: str, body: str) -> None:
    """Send a short notice to apprise URLs; apprise does not raise, so check its result."""
    import apprise

    hub = apprise.Apprise()
    for url in urls:
        if not hub.add(url):
            raise PermanentDeliveryError(f"not a usable apprise URL (#{urls.index(url) + 1})")
    if not hub.notify(title=title, body=body):
        raise TransientDeliveryError(f"apprise: {len(urls)} channel(s) did not accept the notice")
