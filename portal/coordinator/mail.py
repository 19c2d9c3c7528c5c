"""The sign-in link by e-mail, sent at once (not through the ledger: a link must not wait for
the next tick, and the ledger keeps message contents, which must never hold a credential)."""

from __future__ import annotations

import uuid
from email.message import EmailMessage
from email.utils import format_datetime

from models import clock
from models.notify.digest import Mail
from models.settings import get_settings
from portal.coordinator.texts import text


def signin_mail(name: str, address: str, url: str, lang: str) -> Mail:
    """The message with the link `url` to `address`."""
    settings = get_settings()
    domain = settings.mail_from.rpartition("@")[2] or "arshjul"
    msg = EmailMessage()
    msg["From"] = settings.mail_from
    msg["To"] = address
    msg["Subject"] = text("mail_subject", lang)
    msg["Date"] = format_datetime(clock.now())
    msg["Message-ID"] = f"<{uuid.uuid4().hex}@{domain}>"
    msg["Auto-Submitted"] = "auto-generated"
    minutes = settings.signin_link_minutes
    msg.set_content(text("mail_body", lang, name=name, minutes=minutes, url=url))
    return Mail(settings.mail_from, address, msg["Message-ID"], msg.as_bytes())


def send_signin_mail(name: str, address: str, url: str, lang: str) -> None:
    """Send the sign-in link (SMTP, or the outbox without SMTP). Runs after the response."""
    from tasks.deliver import open_sender  # brings Prefect along: on first use only

    with open_sender() as sender:
        sender.send(signin_mail(name, address, url, lang))
