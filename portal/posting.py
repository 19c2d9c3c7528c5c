"""The check every portal form post passes: same origin and the page's CSRF value."""

from __future__ import annotations

from fastapi import Request

from models.settings import get_settings
from portal.security import csrf_ok, csrf_token, same_origin


class CrossSitePost(Exception):
    """A POST without this page's CSRF value, or from another origin."""


def secret() -> str:
    return get_settings().secret_key.get_secret_value()


def csrf_for(token: str) -> str:
    """The CSRF value of the page of `token`."""
    return csrf_token(token, secret())


async def checked_form(request: Request, token: str):
    """The posted form, once it is known to come from the page of `token` (CrossSitePost)."""
    posted = await request.form(max_files=0, max_fields=50)
    headers = request.headers
    origin_ok = same_origin(headers.get("origin"), headers.get("host"),
                            headers.get("sec-fetch-site"))
    if not origin_ok or not csrf_ok(token, secret(), posted.get("csrf")):
        raise CrossSitePost()
    return posted
