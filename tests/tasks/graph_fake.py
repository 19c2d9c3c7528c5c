"""A faithful fake of the Microsoft Graph parts campaigns use, served over real HTTP on loopback.

Shapes follow the Graph documentation: the v2.0 token endpoint's client-credentials answer;
`GET /v1.0/users` with `$select`, `$top` (1–999, default 100), an opaque `$skiptoken` in an
absolute `@odata.nextLink` that repeats the original query, `@odata.context`; 400
`Request_UnsupportedQuery` for a `$filter` on lastPasswordChangeDateTime; 429 `TooManyRequests`
(or 503 `serviceNotAvailable`) with `Retry-After` when told to throttle;
`PATCH /v1.0/users/{id}` answering 204.
"""

from __future__ import annotations

import json
import socket
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, quote

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

TENANT = "contoso-tenant"
CLIENT_ID = "arshjul-app"
CLIENT_SECRET = "s3cret"
SELECTABLE = ("id", "displayName", "mail", "department", "accountEnabled",
              "lastPasswordChangeDateTime", "userPrincipalName")
DEFAULT_FIELDS = ("id", "displayName", "mail", "userPrincipalName")
THROTTLE_ERRORS = {429: ("TooManyRequests", "Too many requests."),
                   503: ("serviceNotAvailable", "The service is temporarily unavailable.")}


def make_users(count: int, departments: list[str], *,
               changed: datetime | None = None) -> list[dict]:
    """`count` users spread over `departments`, every 50th disabled, passwords set at `changed`."""
    changed = changed or datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    users = []
    for i in range(count):
        users.append({
            "id": str(uuid.UUID(int=i + 1)),
            "displayName": f"Användare {i:05d}",
            "mail": f"user{i:05d}@example.se",
            "userPrincipalName": f"user{i:05d}@example.se",
            "department": departments[i % len(departments)] if departments else None,
            "accountEnabled": i % 50 != 49,
            "lastPasswordChangeDateTime": iso(changed - timedelta(days=i % 300)),
        })
    return users


def iso(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _error(status: int, code: str, message: str, headers: dict | None = None) -> JSONResponse:
    body = {"error": {"code": code, "message": message, "innerError": {
        "date": iso(datetime.now(UTC)), "request-id": str(uuid.uuid4()),
        "client-request-id": str(uuid.uuid4())}}}
    return JSONResponse(body, status_code=status, headers=headers)


class GraphFake:
    """State and behaviour of the fake tenant. Tests change `users` and `throttle` between calls."""

    def __init__(self, users: list[dict]):
        self.users = users
        self.tokens: set[str] = set()
        self.user_requests: list[str] = []  # raw path?query of each GET /users, as received
        self.throttle: dict[int, int] = {}  # n-th GET /users (1-based) → Retry-After seconds
        self.throttle_status = 429  # or 503: Graph answers both with Retry-After
        self.forced: list[str] = []
        self.next_links: list[str] = []  # every @odata.nextLink handed out, in order
        self.base_url = ""
        self.app = Starlette(routes=[
            Route("/{tenant}/oauth2/v2.0/token", self.token, methods=["POST"]),
            Route("/v1.0/users", self.list_users, methods=["GET"]),
            Route("/v1.0/users/{user_id}", self.patch_user, methods=["PATCH"]),
        ])

    async def token(self, request: Request) -> Response:
        form = await request.form()
        grant = form.get("grant_type")
        if request.path_params["tenant"] != TENANT or grant != "client_credentials":
            return JSONResponse({"error": "invalid_request", "error_description":
                                 "AADSTS900144: The request body must contain grant_type."}, 400)
        if form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET:
            return JSONResponse({"error": "invalid_client", "error_description":
                                 "AADSTS7000215: Invalid client secret provided."}, 401)
        token = uuid.uuid4().hex
        self.tokens.add(token)
        return JSONResponse({"token_type": "Bearer", "expires_in": 3599,
                             "ext_expires_in": 3599, "access_token": token})

    def _authorised(self, request: Request) -> bool:
        header = request.headers.get("authorization", "")
        return header.startswith("Bearer ") and header[7:] in self.tokens

    async def list_users(self, request: Request) -> Response:
        raw_query = request.scope["query_string"].decode()
        self.user_requests.append(f"{request.url.path}?{raw_query}")
        if not self._authorised(request):
            return _error(401, "InvalidAuthenticationToken", "Access token is empty.")
        wait = self.throttle.get(len(self.user_requests))
        if wait is not None:
            code, message = THROTTLE_ERRORS[self.throttle_status]
            return _error(self.throttle_status, code, message, {"Retry-After": str(wait)})
        query = {k: v[0] for k, v in parse_qs(raw_query, keep_blank_values=True).items()}
        return self._page(query)

    def _page(self, query: dict) -> Response:
        if "lastPasswordChangeDateTime" in query.get("$filter", ""):
            return _error(400, "Request_UnsupportedQuery", "Unsupported or invalid query filter "
                          "clause specified for property 'lastPasswordChangeDateTime' of "
                          "resource 'User'.")
        fields = tuple(query["$select"].split(",")) if "$select" in query else DEFAULT_FIELDS
        unknown = [f for f in fields if f not in SELECTABLE]
        if unknown:
            return _error(400, "Request_BadRequest",
                          f"Could not find a property named '{unknown[0]}' on type "
                          "'Microsoft.DirectoryServices.User'.")
        top = int(query.get("$top", "100"))
        if not 1 <= top <= 999:
            return _error(400, "Request_BadRequest",
                          f"Invalid page size specified: '{top}'. Must be between 1 and 999 "
                          "inclusive.")
        start = _decode_skiptoken(query.get("$skiptoken"))
        chunk = self.users[start:start + top]
        body = {"@odata.context": f"https://graph.microsoft.com/v1.0/$metadata#users("
                                  f"{','.join(fields)})"}
        if start + top < len(self.users):
            keep = "&".join(f"{k}={quote(v, safe=',')}" for k, v in query.items()
                            if k != "$skiptoken")
            body["@odata.nextLink"] = (f"{self.base_url}/v1.0/users?{keep}"
                                       f"&$skiptoken={_encode_skiptoken(start + top)}")
            self.next_links.append(body["@odata.nextLink"])
        body["value"] = [{f: u.get(f) for f in fields} for u in chunk]
        return Response(json.dumps(body), media_type="application/json;odata.metadata=minimal;"
                        "odata.streaming=true;IEEE754Compatible=false;charset=utf-8")

    async def patch_user(self, request: Request) -> Response:
        if not self._authorised(request):
            return _error(401, "InvalidAuthenticationToken", "Access token is empty.")
        user_id = request.path_params["user_id"]
        if not any(u["id"] == user_id for u in self.users):
            return _error(404, "Request_ResourceNotFound",
                          f"Resource '{user_id}' does not exist or one of its queried reference-"
                          "property objects are not present.")
        body = await request.json()
        if body != {"passwordProfile": {"forceChangePasswordNextSignIn": True}}:
            return _error(400, "Request_BadRequest", "Invalid property.")
        self.forced.append(user_id)
        return Response(status_code=204)


def _encode_skiptoken(offset: int) -> str:
    # Graph's tokens look like X'4453707402…' (percent-encoded quotes); opaque to clients.
    return "X%27" + f"offset:{offset:010d}".encode().hex().upper() + "%27"


def _decode_skiptoken(token: str | None) -> int:
    if not token:
        return 0
    return int(bytes.fromhex(token[2:-1]).decode().split(":")[1])


@contextmanager
def serve(fake: GraphFake) -> Iterator[str]:
    """Serve `fake` with uvicorn in a thread on a free loopback port; yields the base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    fake.base_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    config = uvicorn.Config(fake.app, log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        threading.Event().wait(0.01)
    try:
        yield fake.base_url
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()
