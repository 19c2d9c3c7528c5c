"""One digest per recipient: ledger rows → subject, text and HTML (templates/notify/), as e-mail.

Pure apart from reading templates: no store, no network.
"""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from models import links
from models.i18n import gettext
from models.notify import kinds
from models.settings import ROOT


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
    """The Jinja2 environment over templates/ (HTML autoescaped, undefined names are errors)."""
    global _ENV
    if _ENV is None:
        _ENV = Environment(
            loader=FileSystemLoader(ROOT / "templates"),
            autoescape=select_autoescape(["html", "html.j2"]),
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


def _sections(rows: list, recipient: Recipient, lang: str, now: datetime) -> list[dict]:
    grouped: dict[str, list[dict]] = {}
    for row in rows:
        p = row.payload
        grouped.setdefault(row.kind, []).append({
            "title": _text(p.get("title"), lang), "purpose": _text(p.get("purpose"), lang),
            "due": p.get("due"), "scope": p.get("scope"), "note": _text(p.get("note"), lang),
            "url": _url(p, recipient, now),
        })
    ordered = sorted(grouped, key=kinds.order)
    return [{"kind": k, "heading": gettext(kinds.kind(k).heading, lang), "items": grouped[k]}
            for k in ordered]


def render(recipient: Recipient, rows: list, *, lang: str, now: datetime, domain: str) -> Digest:
    """Render the digest of `rows` for `recipient` in `lang` ("sv" or "en")."""
    lang = "en" if lang == "en" else "sv"
    kept, superseded = split_superseded(rows)
    context = {
        "name": recipient.name, "sections": _sections(kept, recipient, lang, now),
        "count": len(kept), "kinds": sorted({r.kind for r in kept}),
    }
    first = context["sections"][0]["kind"] if context["sections"] else ""
    context["prefix"] = gettext(kinds.kind(first).prefix, lang)
    env = environment()
    subject = env.get_template(f"notify/subject_{lang}.txt.j2").render(context).strip()
    return Digest(
        digest_id=f"<{uuid.uuid4().hex}@{domain}>", recipient=recipient,
        subject=" ".join(subject.split()),
        text=env.get_template(f"notify/digest_{lang}.txt.j2").render(context),
        html=env.get_template(f"notify/digest_{lang}.html.j2").render(context),
        row_ids=[r.id for r in kept], superseded=[r.id for r in superseded],
    )


@dataclass(frozen=True)
class Mail:
    """A message ready for SMTP or the outbox: envelope and RFC 5322 bytes."""

    mail_from: str
    to: str
    message_id: str
    data: bytes


def to_email(digest: Digest, *, mail_from: str, now: datetime, lang: str) -> Mail:
    """The digest as a multipart/alternative RFC 5322 message (text and HTML, UTF-8, base64).

    Written directly rather than through the `email` package: its header folding and charset
    guessing cost more per message than the SMTP round trip. The structure is fixed and small.
    """
    boundary = f"=_arshjul_{uuid.uuid4().hex}"
    headers = [
        ("From", mail_from), ("To", digest.recipient.email),
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
    return Mail(mail_from, digest.recipient.email, digest.digest_id, data)


def _encoded_word(text: str) -> str:
    """RFC 2047 base64 encoded words (each ≤ 75 characters), folded; ASCII stays as it is."""
    if text.isascii():
        return text
    words, chunk = [], b""
    for char in text:
        encoded = char.encode("utf-8")
        if len(chunk) + len(encoded) > 45:
            words.append(chunk)
            chunk = b""
        chunk += encoded
    words.append(chunk)
    return "\n ".join(f"=?utf-8?b?{base64.b64encode(w).decode('ascii')}?=" for w in words)


def _base64_lines(body: str) -> str:
    """A text body in canonical form (CRLF line breaks), base64 in lines of 76."""
    canonical = body.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8")
    return base64.encodebytes(canonical).decode("ascii").rstrip("\n")
