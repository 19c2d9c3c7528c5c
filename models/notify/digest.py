"""One digest per recipient: ledger rows → subject, text and HTML (templates/notify/), as e-mail.

Pure apart from reading templates: no store, no network.
"""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from email.utils import format_datetime, formataddr, parseaddr
from functools import lru_cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from models import links
from models.i18n import format_date, gettext, translator
from models.notify import digest_texts, kinds
from models.notify.digest_texts import Fields
from models.settings import ROOT
from models.templating import AUTOESCAPE


@dataclass
class Recipient:
    """Where a digest goes: a person (e-mail + own channels) or a unit (its channels only)."""

    id: str
    email: str = ""
    name: str = ""
    channels: list[str] = field(default_factory=list)
    person: bool = True
    active: bool = True


@dataclass
class Digest:
    """A rendered digest and the ledger rows it delivers or supersedes."""

    digest_id: str
    recipient: Recipient
    subject: str
    text: str
    html: str
    row_ids: list[int]
    superseded: list[int]


_ENV: Environment | None = None


def environment() -> Environment:
    """The Jinja2 environment over templates/ (escaped unless *.txt.j2, undefined names are
    errors)."""
    global _ENV
    if _ENV is None:
        _ENV = Environment(
            loader=FileSystemLoader(ROOT / "templates"),
            autoescape=AUTOESCAPE,
            undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, auto_reload=False,
        )
    return _ENV


def split_superseded(rows: list) -> tuple[list, list]:
    """Keep the newest row of each chain (subject + chain); return (kept, superseded)."""
    newest: dict[tuple, object] = {}
    for row in rows:
        key = (row.subject, kinds.chain(row.kind))
        if key not in newest or row.id > newest[key].id:
            newest[key] = row
    kept_ids = {r.id for r in newest.values()}
    return [r for r in rows if r.id in kept_ids], [r for r in rows if r.id not in kept_ids]


def _text(value: dict | None, lang: str) -> str:
    value = value or {}
    return value.get(lang) or value.get("sv") or value.get("en") or ""


def _url(payload: dict, recipient: Recipient, now: datetime) -> str | None:
    """The portal link of an item (valid while its subject can be answered), else its `url`."""
    link = payload.get("link")
    if not link or not recipient.person or link.get("kind") not in links.PATHS:
        return payload.get("url")  # unit channels are shared: no personal tokens there
    expires = links.link_expiry(link, now)
    token = links.make_subject_token(link["kind"], link["subject"], recipient.id, expires)
    return links.portal_url(token, kind=link["kind"])


def due_date(due: str | None) -> date | None:
    """The day of an item's due date or deadline ("2027-11-15" or "2027-11-01T20:00+01:00")."""
    try:
        return date.fromisoformat(due[:10]) if due else None
    except ValueError:
        return None


def days_left(day: date, today: date, lang: str) -> str:
    """ "om 14 dagar", "i morgon", "i dag", "3 dagar sedan" – how far the due date is."""
    days = (day - today).days
    if days == 0:
        return gettext("i dag", lang)
    if days == 1:
        return gettext("i morgon", lang)
    if days > 1:
        return gettext("{days} dagar kvar", lang, days=days)
    if days == -1:
        return gettext("passerades i går", lang)
    return gettext("passerades för {days} dagar sedan", lang, days=-days)


def _due_text(due: str | None, day: date | None, lang: str) -> str | None:
    """ "15 november 2027", with the time when the due is a deadline ("… 16:00 CEST")."""
    if day is None:
        return due
    rest = due[10:].lstrip("T ")
    return f"{format_date(day, lang)} {rest}" if rest else format_date(day, lang)


def _action(row, title: str, scope: str | None, lang: str) -> str:
    kind = (row.payload.get("link") or {}).get("kind", "")
    if row.kind == kinds.ESCALATION and kind == links.ASSIGNMENT and scope:
        # an escalation's link opens the overview of the late assignment, not the form
        return gettext("Följ upp {what} för {scope}", lang,
                       what=title[:1].lower() + title[1:] if title[1:2].islower() else title,
                       scope=scope)
    return links.action_label(kind, title, scope, lang)


def _item(row, recipient: Recipient, lang: str, now: datetime, today: date) -> Fields:
    p = row.payload
    title, scope, due = _text(p.get("title"), lang), p.get("scope"), p.get("due")
    purpose, waiting = _text(p.get("purpose"), lang), list(p.get("waiting") or [])
    url = _url(p, recipient, now)
    day = due_date(due)
    due_text = _due_text(due, day, lang)
    return Fields(
        title=title, purpose=purpose, scope=scope, due=due, due_text=due_text,
        days_left=days_left(day, today, lang) if day else "",
        note=_text(p.get("note"), lang), waiting=waiting,
        url=url, action=_action(row, title, scope, lang) if url else "",
        for_scope=(p.get("link") or {}).get("kind") == links.ASSIGNMENT and bool(scope),
        # the texts both bodies show, translated once
        due_line=gettext("Sista dag: {day}", lang, day=due_text) if due else "",
        purpose_line=gettext("Syfte: {purpose}", lang, purpose=purpose) if purpose else "",
        waiting_line=(gettext("Har inte svarat: {people}", lang, people=", ".join(waiting))
                      if waiting else ""),
    )


def _sections(rows: list, recipient: Recipient, lang: str, now: datetime,
              today: date) -> list[Fields]:
    grouped: dict[str, list[dict]] = {}
    for row in rows:
        grouped.setdefault(row.kind, []).append(_item(row, recipient, lang, now, today))
    out = []
    for k in sorted(grouped, key=kinds.order):
        scopes = sorted({i["scope"] for i in grouped[k] if i["scope"]})
        missing = (gettext("Har inte lämnat in: {scopes}.", lang, scopes=", ".join(scopes))
                   if k == kinds.ESCALATION and scopes else "")
        out.append(Fields(kind=k, heading=gettext(kinds.kind(k).heading, lang),
                           items=grouped[k], scopes=scopes, missing=missing))
    return out


def render(recipient: Recipient, rows: list, *, lang: str, now: datetime, domain: str,
           organisation: str = "", today: date | None = None) -> Digest:
    """Render the digest of `rows` for `recipient` in `lang` ("sv" or "en").

    `organisation` is named in the subject and the greeting; `today` (the organisation's local
    date, default `now`'s date) is what "days left" counts from. The three templates share one
    context whose texts are translated here, each once.
    """
    lang = "en" if lang == "en" else "sv"
    kept, superseded = split_superseded(rows)
    sections = _sections(kept, recipient, lang, now, today or now.date())
    prefix = gettext(kinds.kind(sections[0]["kind"] if sections else "").prefix, lang)
    name = recipient.name
    context = {
        "name": name, "sections": sections, "count": len(kept),
        "kinds": sorted({r.kind for r in kept}), "organisation": organisation,
        "escalation": kinds.ESCALATION, "_": translator(lang), "lang": lang, "prefix": prefix,
        "greeting": gettext("Hej {name},", lang, name=name) if name else gettext("Hej,", lang),
        **digest_texts.common(lang, organisation),
        # "the links are personal" only where there are links
        "links": any(item.get("url") for section in sections for item in section["items"]),
        **digest_texts.subject(sections, len(kept), organisation, prefix, lang),
    }
    env = environment()
    subject = env.get_template("notify/subject.txt.j2").render(context).strip()
    return Digest(
        digest_id=f"<{uuid.uuid4().hex}@{domain}>", recipient=recipient,
        subject=" ".join(subject.split()),
        text=env.get_template("notify/digest.txt.j2").render(context),
        html=env.get_template("notify/digest.html.j2").render(context),
        row_ids=[r.id for r in kept], superseded=[r.id for r in superseded],
    )


@lru_cache(maxsize=64)
def sender(mail_from: str, organisation: str = "") -> tuple[str, str]:
    """(From header, envelope address) of `ARSHJUL_MAIL_FROM` ("Namn <adress>" or an address).

    Without a display name of its own the sender is shown as the organisation.
    """
    name, address = parseaddr(mail_from)
    address = address or mail_from.strip()
    name = name or organisation
    if not name:
        return address, address
    return formataddr((name, address)), address  # a non-ASCII name becomes an encoded word


@dataclass(frozen=True)
class Mail:
    """A message ready for SMTP or the outbox: envelope and RFC 5322 bytes."""

    mail_from: str
    to: str
    message_id: str
    data: bytes


def to_email(digest: Digest, *, mail_from: str, now: datetime, lang: str,
             organisation: str = "") -> Mail:
    """The digest as a multipart/alternative RFC 5322 message (text and HTML, UTF-8, base64).

    `mail_from` may carry a display name ("Kommunen <arshjul@kommunen.se>"); without one the
    message is from `organisation`.

    Written directly rather than through the `email` package: its header folding and charset
    guessing cost more per message than the SMTP round trip. The structure is fixed and small.
    """
    boundary = f"=_arshjul_{uuid.uuid4().hex}"
    from_header, envelope = sender(mail_from, organisation)
    headers = [
        ("From", from_header), ("To", digest.recipient.email),
        ("Subject", _encoded_word(digest.subject)), ("Date", format_datetime(now)),
        ("Message-ID", digest.digest_id), ("Auto-Submitted", "auto-generated"),
        ("Content-Language", "en" if lang == "en" else "sv"), ("MIME-Version", "1.0"),
        ("Content-Type", f'multipart/alternative; boundary="{boundary}"'),
    ]
    lines = [f"{name}: {value}" for name, value in headers]
    for subtype, body in (("plain", digest.text), ("html", digest.html)):
        lines += ["", f"--{boundary}", f'Content-Type: text/{subtype}; charset="utf-8"',
                  "Content-Transfer-Encoding: base64", "",
                  _base64_lines(body)]
    lines += ["", f"--{boundary}--", ""]
    data = "\r\n".join(line.replace("\n", "\r\n") for line in lines).encode("ascii")
    return Mail(envelope, digest.recipient.email, digest.digest_id, data)


def _encoded_word(text: str) -> str:
    """RFC 2047 base64 encoded words (each ≤ 75 characters), folded; ASCII stays as it is."""
    if text.isascii():
        return text
    data, words, start = text.encode("utf-8"), [], 0
    while start < len(data):
        end = min(start + 45, len(data))
        while end < len(data) and data[end] & 0xC0 == 0x80:  # never split a character
            end -= 1
        words.append(data[start:end])
        start = end
    return "\n ".join(f"=?utf-8?b?{base64.b64encode(w).decode('ascii')}?=" for w in words)


def _base64_lines(body: str) -> str:
    """A text body in canonical form (CRLF line breaks), base64 in lines of 76."""
    canonical = body.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8")
    return base64.encodebytes(canonical).decode("ascii").rstrip("\n")
