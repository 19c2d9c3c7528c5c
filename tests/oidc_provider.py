"""A real OpenID Connect provider on loopback for tests: pyop (built on pyoidc) behind a small
Starlette app served by uvicorn in a thread. Not a mock of our client: discovery, the login
page, the authorization code with PKCE, the token endpoint with client authentication, signed
ID tokens (RS256) and the JWKS are pyop's.

    with running_provider({"dan": {"email": "dan-samordnare@example.se"}}, redirect, tmp) as op:
        op.issuer (https, self-signed: op.ca_file), op.client_id, op.client_secret
"""

from __future__ import annotations

import datetime
import ipaddress
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import uvicorn
from Cryptodome.PublicKey import RSA
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from jwkest.jwk import RSAKey
from pyop.authz_state import AuthorizationState
from pyop.exceptions import BearerTokenError, InvalidAccessToken, OAuthError
from pyop.provider import Provider
from pyop.subject_identifier import HashBasedSubjectIdentifierFactory
from pyop.userinfo import Userinfo
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse
from starlette.routing import Route

from tests.smtp_sink import free_port

CLIENT_ID = "arshjul-test"
CLIENT_SECRET = "oidc-test-client-secret-0123456789"


def make_provider(issuer: str, users: dict, redirect_uri: str) -> Provider:
    """A pyop provider for one confidential client with `redirect_uri`."""
    key = RSAKey(key=RSA.generate(2048), alg="RS256", kid="test-key")
    config = {
        "issuer": issuer, "authorization_endpoint": f"{issuer}/authorize",
        "token_endpoint": f"{issuer}/token", "userinfo_endpoint": f"{issuer}/userinfo",
        "jwks_uri": f"{issuer}/jwks", "response_types_supported": ["code"],
        "subject_types_supported": ["public"], "scopes_supported": ["openid", "email", "profile"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "code_challenge_methods_supported": ["S256"],
    }
    clients = {CLIENT_ID: {"client_secret": CLIENT_SECRET, "redirect_uris": [redirect_uri],
                           "response_types": ["code"],
                           "token_endpoint_auth_method": "client_secret_basic"}}
    state = AuthorizationState(HashBasedSubjectIdentifierFactory("test-salt"))
    return Provider(key, config, state, clients, Userinfo(users))


def app_for(provider: Provider) -> Starlette:
    """The provider's HTTP endpoints; /authorize shows a login form (user id + button)."""

    async def discovery(request: Request):
        return JSONResponse(provider.provider_configuration.to_dict())

    async def jwks(request: Request):
        return JSONResponse(provider.jwks)

    async def authorize(request: Request):
        query = str(request.query_params)
        provider.parse_authentication_request(query)
        return HTMLResponse(
            '<!doctype html><html lang="en"><title>Test IdP</title><main><h1>Test IdP</h1>'
            f'<form method="post" action="/authorize?{query}"><label for="user">User</label>'
            '<input id="user" name="user"><button type="submit">Sign in</button></form></main>')

    async def login(request: Request):
        form = await request.form()
        auth_request = provider.parse_authentication_request(str(request.query_params))
        response = provider.authorize(auth_request, str(form["user"]))
        return RedirectResponse(response.request(auth_request["redirect_uri"], False), 303)

    def authorization(request: Request) -> dict:
        # pyop looks the header up as "Authorization"; Starlette's are lower-case.
        value = request.headers.get("authorization")
        return {"Authorization": value} if value else {}

    async def token(request: Request):
        body = (await request.body()).decode()
        try:
            response = provider.handle_token_request(body, authorization(request))
        except OAuthError as exc:  # a used or unknown code, a wrong client secret, …
            return JSONResponse({"error": exc.oauth_error}, status_code=400)
        return JSONResponse(response.to_dict())

    async def userinfo(request: Request):
        try:
            response = provider.handle_userinfo_request((await request.body()).decode(),
                                                        authorization(request))
        except (BearerTokenError, InvalidAccessToken):
            return JSONResponse({"error": "invalid_token"}, status_code=401)
        return JSONResponse(response.to_dict())

    return Starlette(routes=[
        Route("/.well-known/openid-configuration", discovery), Route("/jwks", jwks),
        Route("/authorize", authorize), Route("/authorize", login, methods=["POST"]),
        Route("/token", token, methods=["POST"]),
        Route("/userinfo", userinfo, methods=["GET", "POST"]),
    ])


def self_signed(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key (OpenID Connect issuers must be https)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = directory / "op-cert.pem", directory / "op-key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.TraditionalOpenSSL,
                                           serialization.NoEncryption()))
    return cert_file, key_file


@dataclass
class RunningProvider:
    issuer: str
    #: the provider's self-signed certificate: trust it with SSL_CERT_FILE
    ca_file: Path
    client_id: str = CLIENT_ID
    client_secret: str = CLIENT_SECRET


@contextmanager
def running_provider(users: dict, redirect_uri: str, directory: Path):
    """Serve a provider on https://127.0.0.1 in a thread while the block runs."""
    port = free_port()
    issuer = f"https://127.0.0.1:{port}"
    cert_file, key_file = self_signed(directory)
    config = uvicorn.Config(app_for(make_provider(issuer, users, redirect_uri)),
                            host="127.0.0.1", port=port, log_level="warning", lifespan="off",
                            ssl_certfile=str(cert_file), ssl_keyfile=str(key_file))
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    try:
        yield RunningProvider(issuer, cert_file)
    finally:
        server.should_exit = True
        thread.join(10)

