"""One digest per recipient: ledger rows → subject, text and HTML (templates/notify/), as e-mail.

Pure apart from reading templates: no store, no network.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from models import links
from models.settings import ROOT

#: Order of sections in a digest; kinds not listed come last, in the order met.
SECTION_ORDER = ("escalation", "invitation", "reminder")
#: Items of these kinds form one chain per subject: only the newest row of a chain is shown.
CHAINS = {"invitation": "audience", "reminder": "audience"}


@dataclass
class Recipient:
    """Where a digest goes: a person (e-mail + own channels) or a unit (its channels only)."""

    id: str
    email: str = ""
    name: str = ""
    channels: list[str] = field(default_factory=list)
    person: bool = True


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
            undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        )
    return _ENV


def split_superseded(rows: list) -> tuple[list, list]:
    """Keep the newest row of each chain (subject + chain); return (kept, superseded)."""
    newest: dict[tuple, object] = {}
    for row in rows:
        key = (row.subject, CHAINS.get(row.kind, row.kind))
        if key not in newest or row.id > newest[key].id:
            newest[key] = row
    kept_ids = {r.id for r in newest.values()}
    return [r for r in rows if r.id in kept_ids], [r for r in rows if r.id not in kept_ids]


def _text(value: dict | None, lang: str) -> str:
    value = value or {}
    return value.get(lang) or value.get("sv") or value.get("en") or ""


def _url(payload: dict, recipient: Recipient, expires: datetime) -> str | None:
    if payload.get("url"):
        return payload["url"]
    link = payload.get("link")
    if not link or not recipient.person:  # unit channels are shared: no personal tokens there
        return None
    token = links.make_subject_token(link["kind"], link["subject"], recipient.id, expires)
    return links.portal_url(token)


def _sections(rows: list, recipient: Recipient, lang: str, expires: datetime) -> list[dict]:
    grouped: dict[str, list[dict]] = {}
    for row in rows:
        p = row.payload
        grouped.setdefault(row.kind, []).append({
            "title": _text(p.get("title"), lang), "purpose": _text(p.get("purpose"), lang),
            "due": p.get("due"), "scope": p.get("scope"), "note": _text(p.get("note"), lang),
            "url": _url(p, recipient, expires),
        })
    order = {k: i for i, k in enumerate(SECTION_ORDER)}
    kinds = sorted(grouped, key=lambda k: order.get(k, len(order)))
    return [{"kind": k, "items": grouped[k]} for k in kinds]


def render(recipient: Recipient, rows: list, *, lang: str, now: datetime, domain: str) -> Digest:
    """Render the digest of `rows` for `recipient` in `lang` ("sv" or "en")."""
    lang = "en" if lang == "en" else "sv"
    kept, superseded = split_superseded(rows)
    context = {
        "name": recipient.name, "sections": _sections(kept, recipient, lang,
                                                      links.default_expiry(now)),
        "count": len(kept), "kinds": sorted({r.kind for r in kept}),
    }
    env = environment()
    subject = env.get_template(f"notify/subject_{lang}.txt.j2").render(context).strip()
    return Digest(
        digest_id=f"<{uuid.uuid4().hex}@{domain}>", recipient=recipient,
        subject=" ".join(subject.split()),
        text=env.get_template(f"notify/digest_{lang}.txt.j2").render(context),
        html=env.get_template(f"notify/digest_{lang}.html.j2").render(context),
        row_ids=[r.id for r in kept], superseded=[r.id for r in superseded],
    )


def to_email(digest: Digest, *, mail_from: str, now: datetime, lang: str) -> EmailMessage:
    """The digest as a multipart/alternative RFC 5322 message."""
    msg = EmailMessage()
    msg["From"] = mail_from
    msg["To"] = digest.recipient.email
    msg["Subject"] = digest.subject
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = digest.digest_id
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(digest.text)
    msg.add_alternative(digest.html, subtype="html")
    # after set_content/add_alternative: they move Content-* headers into the parts
    msg["Content-Language"] = "en" if lang == "en" else "sv"
    return msg
