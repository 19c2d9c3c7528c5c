"""One SMTP mail transaction on an open `smtplib.SMTP` connection, with RFC 5321's waits.

Where the server advertises PIPELINING (RFC 2920) MAIL, RCPT and DATA go out in one write and
their three answers are read together: two round trips per message instead of four. Either way
`meanwhile` (the ledger's previous mark and this message's claim) runs while the server answers
the envelope, before any of the message itself is handed over, and `idle` (rendering the next
digest) while it accepts the data. tasks/mailer.py sorts the errors raised here.
"""

from __future__ import annotations

import re
import smtplib
from collections.abc import Callable
from functools import lru_cache

#: A dot at the start of a line of the message is doubled (RFC 5321 section 4.5.2).
_LEADING_DOT = re.compile(rb"(?m)^\.")


class UncertainError(Exception):
    """The connection failed after the server had the whole message (mailer: Uncertain…)."""


@lru_cache(maxsize=64)
def _quoted(address: str) -> str:
    return smtplib.quoteaddr(address)  # parses the address: the same sender on every message


def transaction(conn: smtplib.SMTP, mail, meanwhile: Callable[[], None], timeouts,
                idle: Callable[[], None] | None = None) -> None:
    """Send `mail` (a models.notify.digest.Mail) to its one recipient; smtplib's exceptions
    for a refusal, UncertainError when its fate is unknown."""
    _wait(conn, timeouts.command)
    conn.ehlo_or_helo_if_needed()
    esmtp = conn.does_esmtp
    size = f" size={len(mail.data)}" if esmtp and conn.has_extn("size") else ""
    mail_cmd = f"mail from:{_quoted(mail.mail_from)}{size}"
    if esmtp and conn.has_extn("pipelining"):
        _pipelined(conn, mail, mail_cmd, meanwhile, timeouts)
    else:
        conn.putcmd(mail_cmd)
        meanwhile()
        code, reply = conn.getreply()
        if code != 250:
            _abort(conn, code)
            raise smtplib.SMTPSenderRefused(code, reply, mail.mail_from)
        code, reply = conn.rcpt(mail.to)
        if code not in (250, 251):
            _abort(conn, code)
            raise smtplib.SMTPRecipientsRefused({mail.to: (code, reply)})
        _wait(conn, timeouts.data_start)
        code, reply = conn.docmd("data")
        if code != 354:
            _refused_data(conn, code, reply)
    _data(conn, mail.data, timeouts, idle)


def _pipelined(conn: smtplib.SMTP, mail, mail_cmd: str, meanwhile, timeouts) -> None:
    """MAIL, RCPT and DATA in one write; their answers checked in order (RFC 2920 3.1)."""
    conn.send(f"{mail_cmd}\r\nrcpt to:{_quoted(mail.to)}\r\ndata\r\n")
    meanwhile()
    _wait(conn, max(timeouts.command, timeouts.data_start))
    replies: list[tuple[int, bytes]] = []
    try:
        while len(replies) < 3:
            replies.append(conn.getreply())
    except smtplib.SMTPServerDisconnected:
        if all(code in (250, 251) for code, _ in replies):
            raise  # before the data: nothing handed over (mailer reconnects once)
        replies += [(421, b"closed")] * (3 - len(replies))  # hung up after refusing
    sender, recipient, data = replies
    if data[0] == 354 and (sender[0] != 250 or recipient[0] not in (250, 251)):
        conn.close()  # DATA open without a valid envelope: hang up rather than send nothing
    if sender[0] != 250:
        _abort(conn, sender[0])
        raise smtplib.SMTPSenderRefused(sender[0], sender[1], mail.mail_from)
    if recipient[0] not in (250, 251):
        _abort(conn, recipient[0])
        raise smtplib.SMTPRecipientsRefused({mail.to: recipient})
    if data[0] != 354:
        _refused_data(conn, *data)


def _refused_data(conn: smtplib.SMTP, code: int, reply: bytes) -> None:
    _abort(conn, code)
    raise smtplib.SMTPDataError(code, reply)


def _wait(conn: smtplib.SMTP, seconds: float) -> None:
    """How long the next answer may take (a closed connection fails on its next command)."""
    if conn.sock is not None and conn.sock.gettimeout() != seconds:
        conn.sock.settimeout(seconds)  # a system call: only when the wait changes


def _data(conn: smtplib.SMTP, data: bytes, timeouts, idle) -> None:
    """The message and the server's final answer, after its 354.

    Once the message is on its way, a dropped connection or a silent server leaves its fate
    unknown: UncertainError, never a second try here.
    """
    body = _LEADING_DOT.sub(b"..", data)
    body += (b"" if body.endswith(b"\r\n") else b"\r\n") + b".\r\n"
    try:
        _wait(conn, timeouts.data_block)
        conn.send(body)
        if idle is not None:
            idle()  # must not raise: the message is with the server
        _wait(conn, timeouts.data_end)
        code, reply = conn.getreply()
    except (OSError, smtplib.SMTPServerDisconnected) as exc:
        conn.close()
        raise UncertainError(f"SMTP connection lost after the data: {exc}") from exc
    if code != 250:
        _refused_data(conn, code, reply)


def _abort(conn: smtplib.SMTP, code: int) -> None:
    """After a refusal: hang up on 421 (the server is closing), else reset the transaction."""
    if code == 421 or conn.sock is None:
        conn.close()
        return
    try:
        conn.rset()
    except smtplib.SMTPServerDisconnected:
        pass
