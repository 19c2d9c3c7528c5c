"""Sign-in with OpenID Connect (Entra ID in Swedish municipalities), with Authlib as the client.

    GET /logga-in/oidc        to the provider: authorization code flow with PKCE (S256), a
                              state and a nonce kept in a signed ten-minute cookie
    GET /logga-in/oidc/svar   back from it: code → tokens, the ID token checked (signature by
                              the provider's JWKS, issuer, audience, nonce, expiry), the e-mail
                              address (ID token `email`, else the userinfo endpoint) matched to
                              the organisation file like the mailed link; a fresh session

Off unless ARSHJUL_OIDC_ISSUER is set. Who may sign in is the same rule as for the mailed link.
Authlib and joserfc are imported on the first OIDC request: a portal without OIDC does not hold
them in memory.
"""

from __future__ import annotations

import hmac
import json
import secrets
from datetime import timedelta

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from models import clock, db
from models.coordinator.signin import eligible_person, start_session
from models.links import LinkError, make_subject_token, verify_token
from models.settings import get_settings
from portal.coordinator import auth
from portal.coordinator.render import message
from portal.coordinator.texts import text

router = APIRouter()
STATE_COOKIE = "arshjul_oidc"
STATE_KIND = "oidc-state"
_DISCOVERY: dict[str, dict] = {}


class OidcRefused(Exception):
    """The provider's answer did not check out, or the account may not sign in here."""


def _redirect_uri() -> str:
    return get_settings().portal_url.rstrip("/") + "/logga-in/oidc/svar"


def _client():
    from authlib.integrations.httpx_client import AsyncOAuth2Client

    settings = get_settings()
    secret = settings.oidc_client_secret.get_secret_value() if settings.oidc_client_secret else None
    return AsyncOAuth2Client(settings.oidc_client_id, secret, scope="openid email profile",
                             redirect_uri=_redirect_uri(), code_challenge_method="S256",
                             timeout=10)


async def _discovery() -> dict:
    issuer = get_settings().oidc_issuer.rstrip("/")
    if issuer not in _DISCOVERY:
        async with httpx.AsyncClient(timeout=10) as http:
            response = await http.get(issuer + "/.well-known/openid-configuration")
            response.raise_for_status()
            _DISCOVERY[issuer] = response.json()
    return _DISCOVERY[issuer]


@router.get("/logga-in/oidc")
async def start():
    if not get_settings().oidc_issuer:
        raise auth.NotFound()
    meta = await _discovery()
    state, nonce, verifier = (secrets.token_urlsafe(24) for _ in range(3))
    async with _client() as client:
        url, _ = client.create_authorization_url(meta["authorization_endpoint"], state=state,
                                                 nonce=nonce, code_verifier=verifier)
    kept = make_subject_token(STATE_KIND, json.dumps([state, nonce, verifier]), "",
                              clock.now() + timedelta(minutes=10))
    response = RedirectResponse(url, status_code=303)
    auth.set_cookie(response, STATE_COOKIE, kept, max_age=600)
    return response


def _kept(request: Request, state: str) -> tuple[str, str]:
    try:
        claims = verify_token(request.cookies.get(STATE_COOKIE, ""), kind=STATE_KIND,
                              now=clock.now())
    except LinkError as exc:
        raise OidcRefused() from exc
    kept_state, nonce, verifier = json.loads(claims.subject)
    if not hmac.compare_digest(kept_state, state):
        raise OidcRefused()
    return nonce, verifier


async def _address(meta: dict, code: str, nonce: str, verifier: str) -> str:
    from joserfc import jwt
    from joserfc.errors import JoseError
    from joserfc.jwk import KeySet

    settings = get_settings()
    async with _client() as client:
        token = await client.fetch_token(meta["token_endpoint"], code=code,
                                         code_verifier=verifier)
        keys = KeySet.import_key_set((await client.get(meta["jwks_uri"])).json())
        try:
            claims = jwt.decode(token["id_token"], keys).claims
            jwt.JWTClaimsRegistry(
                iss={"essential": True, "value": meta["issuer"]},
                aud={"essential": True, "value": settings.oidc_client_id},
                nonce={"essential": True, "value": nonce}, exp={"essential": True},
            ).validate(claims)
        except (JoseError, KeyError, ValueError) as exc:
            raise OidcRefused() from exc
        address = claims.get("email") or ""
        if not address and meta.get("userinfo_endpoint"):
            info = (await client.get(meta["userinfo_endpoint"])).json()
            address = info.get("email", "") if info.get("sub") == claims["sub"] else ""
    return address


@router.get("/logga-in/oidc/svar")
async def back(request: Request, code: str = "", state: str = ""):
    if not get_settings().oidc_issuer:
        raise auth.NotFound()
    from authlib.integrations.base_client.errors import OAuthError as ProviderError

    lang = auth.language()
    try:
        nonce, verifier = _kept(request, state)
        address = await _address(await _discovery(), code, nonce, verifier)
    except (OidcRefused, ProviderError, httpx.HTTPError):
        return message(lang, "oidc_refused", 403, link=("/logga-in", text("signin_title", lang)))
    with db.session() as s:
        person = eligible_person(address, session=s) if address else None
        if person is None:
            return message(lang, "oidc_unknown", 403)
        cookie = start_session(person.id, "oidc", request.cookies.get(auth.COOKIE), session=s,
                               now=clock.now())
    response = RedirectResponse("/oversikt", status_code=303)
    auth.set_cookie(response, auth.COOKIE, cookie)
    response.delete_cookie(STATE_COOKIE, path="/")
    return response
