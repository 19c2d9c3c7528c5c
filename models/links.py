"""Signed portal links: a person may act on one subject (an assignment, a unit's incident, …).

Token format (version 1), documented for the portal in docs/notifications.md:

    <payload>.<signature>

* `payload` is base64url (no padding) of compact JSON with sorted keys:
  `{"e": <expiry, unix seconds>, "k": <kind>, "p": <person id>, "s": <subject>, "v": 1}`.
  `kind` says what the link is for: `assignment` (subject = assignment id, the default),
  `incident-report` (subject = the unit id), `calendar` (subject = ""); PATHS below lists
  every kind and the portal path it opens. `person` may be "" for links not bound to a person.
* `signature` is base64url (no padding) of HMAC-SHA256(secret_key, b"arshjul-link." + payload).

`verify_token` checks the signature in constant time before it reads anything, then the expiry.
A token that does not parse or whose signature is wrong raises `TamperedLinkError`; a correctly
signed token past its expiry raises `ExpiredLinkError`; asking for one kind and getting another
raises `WrongKindError`. All three are `LinkError`s.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from models.errors import ArshjulError
from models.settings import get_settings
from models.signing_key import signing_key

VERSION = 1
#: The kinds of link and the portal path each opens (`/<path>/<token>`): the one list of them.
ASSIGNMENT = "assignment"
INCIDENT_REPORT = "incident-report"
CALENDAR = "calendar"
#: subject = campaign id: one's own progress in a training campaign or password drive.
CAMPAIGN = "campaign"
#: subject = `<campaign id>:<unit id or ->`: a unit's completion in a campaign.
CAMPAIGN_UNIT = "campaign-unit"
PATHS = {ASSIGNMENT: "a", INCIDENT_REPORT: "incident", CALENDAR: "kalender",
         CAMPAIGN: "kampanj", CAMPAIGN_UNIT: "kampanj-enhet"}
_KIND = re.compile(r"^[a-z0-9-]{1,32}$")
_DOMAIN = b"arshjul-link."


class LinkError(ArshjulError):
    """A portal link that cannot be honoured."""


class TamperedLinkError(LinkError):
    """The token is malformed or its signature does not match: it was not issued by us."""


class ExpiredLinkError(LinkError):
    """The token is genuine but past its expiry; the person needs a fresh message."""


class WrongKindError(LinkError):
    """The token is genuine but made for another kind of subject."""


@dataclass(frozen=True)
class LinkClaims:
    """What a verified token says."""

    kind: str
    person_id: str
    subject: str
    expires: datetime

    @property
    def assignment_id(self) -> int | None:
        """The assignment id of an `assignment` link, else None."""
        return int(self.subject) if self.kind == ASSIGNMENT else None


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _key(secret: str | None) -> bytes:
    return (secret or signing_key()).encode("utf-8")  # the key's check is cached


def _sign(payload: str, secret: str | None) -> str:
    mac = hmac.new(_key(secret), _DOMAIN + payload.encode("utf-8"), hashlib.sha256)
    return _b64(mac.digest())


def default_expiry(now: datetime) -> datetime:
    """`now` plus the configured link lifetime (settings.link_days)."""
    return now + timedelta(days=get_settings().link_days)


def last_answer_day(due: date) -> date:
    """The last day (organisation time) a step due on `due` can still be answered or changed:
    `due` plus settings.portal_grace_days."""
    return due + timedelta(days=get_settings().portal_grace_days)


def valid_until(due: date, timezone: str) -> str:
    """When a link about something due on `due` stops working (ISO, UTC): the end of its last
    answer day in `timezone`. Stored in a message's `link` as `until`."""
    end = datetime.combine(last_answer_day(due) + timedelta(days=1), time(), ZoneInfo(timezone))
    return end.astimezone(UTC).isoformat()


def link_expiry(link: dict, now: datetime) -> datetime:
    """The expiry of a message's link: its `until` (the subject can be answered that long), and
    never less than the configured lifetime from `now`."""
    until = link.get("until")
    fallback = default_expiry(now)
    return max(datetime.fromisoformat(until), fallback) if until else fallback


def make_subject_token(
    kind: str, subject: str, person_id: str, expires: datetime, *, secret: str | None = None
) -> str:
    """Sign a link for `person_id` to act on `subject` of `kind` until `expires`."""
    if not _KIND.match(kind):
        raise ValueError(f"link kind '{kind}' must be 1-32 characters of a-z, 0-9 and '-'")
    body = {"e": int(expires.timestamp()), "k": kind, "p": person_id, "s": str(subject),
            "v": VERSION}
    payload = _b64(json.dumps(body, separators=(",", ":"), sort_keys=True).encode("utf-8"))
    return f"{payload}.{_sign(payload, secret)}"


def make_token(
    person_id: str, assignment_id: int, expires: datetime, *, secret: str | None = None
) -> str:
    """Sign the link of one person for one assignment (kind `assignment`)."""
    return make_subject_token(ASSIGNMENT, str(assignment_id), person_id, expires, secret=secret)


def verify_token(
    token: str, *, kind: str | None = None, now: datetime | None = None, secret: str | None = None
) -> LinkClaims:
    """Check a token and return its claims.

    Args:
        token: the token from the URL.
        kind: when given, the kind the caller expects (WrongKindError otherwise).
        now: the clock (default UTC now); expiry is checked against it.
        secret: signing key (default models.signing_key.signing_key()).

    Raises:
        TamperedLinkError: malformed or wrongly signed. ExpiredLinkError: past its expiry.
        WrongKindError: signed for another kind.
    """
    claims = _claims(token, secret)
    current = now or datetime.now(UTC)
    if claims.expires <= current:
        raise ExpiredLinkError(f"the link expired on {claims.expires:%Y-%m-%d}; ask for a new one")
    if kind is not None and claims.kind != kind:
        raise WrongKindError(f"this link is for '{claims.kind}', not '{kind}'")
    return claims


def read_expired(token: str, *, secret: str | None = None) -> LinkClaims:
    """The claims of a genuine token whatever its expiry (to send its holder a fresh link).

    Raises:
        TamperedLinkError: malformed or wrongly signed.
    """
    return _claims(token, secret)


def _claims(token: str, secret: str | None) -> LinkClaims:
    payload, _, signature = (token or "").strip().partition(".")
    if not payload or not signature or not hmac.compare_digest(
        signature.encode("ascii", "replace"), _sign(payload, secret).encode("ascii")
    ):
        raise TamperedLinkError("the link is not valid (altered or not issued by arshjul)")
    try:
        body = json.loads(_unb64(payload))
        if body["v"] != VERSION:
            raise ValueError(f"version {body['v']}")
        expires = datetime.fromtimestamp(int(body["e"]), UTC)
        return LinkClaims(str(body["k"]), str(body["p"]), str(body["s"]), expires)
    except (ValueError, KeyError, TypeError) as exc:
        raise TamperedLinkError("the link is not valid (unreadable contents)") from exc


def portal_url(token: str, *, kind: str = ASSIGNMENT) -> str:
    """The public URL of a token of `kind`: settings.portal_url + `/<path>/<token>` (PATHS)."""
    return f"{get_settings().portal_url.rstrip('/')}/{PATHS[kind]}/{token}"


def action_label(kind: str, title: str, scope: str | None, lang: str) -> str:
    """What a link of `kind` does, said in full: "Svara på riskanalys för Socialförvaltningen"
    (mail and calendar say this instead of "Svara här")."""
    from models.i18n import gettext

    # "Riskanalys" → "riskanalys" inside the sentence; an acronym ("GDPR-översyn") stays
    what = title[:1].lower() + title[1:] if title[1:2].islower() else title
    if kind == ASSIGNMENT:
        if scope:
            return gettext("Svara på {what} för {scope}", lang, what=what, scope=scope)
        return gettext("Svara på {what}", lang, what=what)
    if kind.startswith("incident"):
        return gettext("Öppna incidenten: {title}", lang, title=title)
    return gettext("Öppna {what}", lang, what=what)
