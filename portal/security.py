"""The portal's defences: the secret-key check, CSRF tokens, security headers and a body limit.

* Links: the signed token is the credential (models.links). It travels in the URL path, so the
  portal never logs request lines (uvicorn's access log is off, see portal.server).
* Cross-site posting: every form carries `csrf`, an HMAC of the link token under the secret key
  (a different domain string than links), and a POST that the browser marks as cross-site
  (`Sec-Fetch-Site`) or whose `Origin` names another host is refused.
  A page of one link cannot post to another link: the CSRF value would not match.
* Headers: a strict CSP (no scripts at all, styles from our own origin, form posts to ourselves,
  no framing), `Referrer-Policy: no-referrer` so the token never leaks to another site, and
  `Cache-Control: no-store` so answers are not kept in shared caches.
* Body limit: a request whose body exceeds settings.portal_max_body gets 413 before it is parsed.
"""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import urlsplit

from models.settings import Settings
from models.signing_key import signing_key

CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"referrer-policy", b"no-referrer"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
#: Unless a route says otherwise (the calendar feed may be cached privately), nothing is kept.
DEFAULT_CACHE = (b"cache-control", b"no-store")
_CSRF_DOMAIN = b"arshjul-csrf."


def check_secret_key(settings: Settings) -> None:
    """Refuse a missing, default, short or low-entropy key (models.signing_key says why)."""
    signing_key(settings)


def csrf_token(link_token: str, secret: str) -> str:
    """The CSRF value of pages opened through `link_token`."""
    mac = hmac.new(secret.encode(), _CSRF_DOMAIN + link_token.encode(), hashlib.sha256)
    return mac.hexdigest()


def csrf_ok(link_token: str, secret: str, posted: str | None) -> bool:
    """Whether a posted CSRF value belongs to `link_token` (constant-time comparison)."""
    return bool(posted) and hmac.compare_digest(csrf_token(link_token, secret), str(posted))


def same_origin(origin: str | None, host: str | None, fetch_site: str | None = None) -> bool:
    """Whether a POST comes from our own pages, as far as the browser tells.

    `Sec-Fetch-Site` (all current browsers) must be same-origin or none (typed in). `Origin` must
    name this host; "null" is accepted because `Referrer-Policy: no-referrer` makes Chromium send
    exactly that for our own form posts. Absent headers (old browsers, curl) pass: the CSRF value
    is the real check.
    """
    if fetch_site and fetch_site not in ("same-origin", "none"):
        return False
    if not origin or origin == "null":
        return True
    return urlsplit(origin).netloc.lower() == (host or "").lower()


class SecurityMiddleware:
    """Pure ASGI middleware: security headers on every response, 413 for oversized bodies."""

    def __init__(self, app, max_body: int):
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or [])
                own_cache = any(name.lower() == b"cache-control" for name, _ in headers)
                message["headers"] = headers + HEADERS + ([] if own_cache else [DEFAULT_CACHE])
            await send(message)

        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            await _too_large(send_with_headers)
            return
        await self.app(scope, _limited(receive, self.max_body), send_with_headers)


class BodyTooLarge(Exception):
    """A streamed body went past the limit."""


def _limited(receive, limit: int):
    seen = 0

    async def wrapped():
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise BodyTooLarge()
        return message

    return wrapped


async def _too_large(send) -> None:
    from portal.pages import too_large_html

    body = too_large_html().encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"text/html; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
