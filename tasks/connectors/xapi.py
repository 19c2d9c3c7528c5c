"""xAPI (Experience API 1.0.3) LRS: who completed or passed a course since a date.

Queries `GET statements` once per verb (xAPI allows one verb per query) with `activity` = the
course's activity id and `since` = the campaign start, and follows `more` (a relative IRL
holding the full path, resolved against the LRS's scheme, host and port) until it is empty.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import httpx
from pydantic import BaseModel, ConfigDict, ValidationError

from tasks.connectors.base import ConnectorError, send

VERBS = {
    "completed": "http://adlnet.gov/expapi/verbs/completed",
    "passed": "http://adlnet.gov/expapi/verbs/passed",
}
VERSION_HEADER = {"X-Experience-API-Version": "1.0.3"}


class Account(BaseModel):
    name: str
    homePage: str | None = None  # noqa: N815 (xAPI spelling)


class Actor(BaseModel):
    model_config = ConfigDict(extra="ignore")
    mbox: str | None = None
    account: Account | None = None


class Verb(BaseModel):
    id: str


class Statement(BaseModel):
    model_config = ConfigDict(extra="ignore")
    id: str | None = None
    actor: Actor
    verb: Verb
    timestamp: datetime | None = None
    stored: datetime | None = None


class StatementResult(BaseModel):
    statements: list[Statement]
    more: str | None = None


class Completion(BaseModel):
    """One learner's completion (or pass) of the course, as the LRS recorded it."""

    model_config = ConfigDict(frozen=True)
    email: str | None
    account_name: str | None
    verb: str
    at: datetime | None


class XapiClient:
    """An LRS client over an injected httpx.Client whose base_url is the xAPI endpoint
    (e.g. https://lrs.example.se/xAPI/, statements live under `statements`); authentication
    (HTTP basic, usually) is configured on the client.
    """

    def __init__(self, client: httpx.Client, *, limit: int = 500,
                 sleep: Callable[[float], None] = time.sleep):
        self.client = client
        self.limit = limit
        self.sleep = sleep

    def iter_completions(self, activity_id: str, since: datetime) -> Iterator[list[Completion]]:
        """Yield pages of completions of `activity_id` stored since `since`, verb by verb."""
        since_text = since.astimezone(UTC).isoformat() if since.tzinfo else \
            since.replace(tzinfo=UTC).isoformat()
        for verb in VERBS.values():
            params = {"verb": verb, "activity": activity_id, "since": since_text,
                      "limit": self.limit}
            url: str | None = "statements"
            while url:
                result = self._get(url, params)
                yield [_completion(s) for s in result.statements]
                url, params = (self._resolve(result.more), None) if result.more else (None, None)

    def _resolve(self, more: str) -> str:
        # `more` carries the whole path: keep only scheme, host and port of the endpoint.
        return str(self.client.base_url.join(more))

    def _get(self, url: str, params: dict | None) -> StatementResult:
        response = send(self.client, "GET", url, params=params, headers=VERSION_HEADER,
                        what="xAPI GET statements", sleep=self.sleep)
        if not response.is_success:
            raise ConnectorError(
                f"xAPI GET statements: HTTP {response.status_code} {response.text[:200]}",
                status=response.status_code, retryable=response.status_code >= 500)
        try:
            return StatementResult.model_validate_json(response.content)
        except ValidationError as exc:
            raise ConnectorError(f"xAPI GET statements: not a StatementResult ({exc})") from exc


def _completion(statement: Statement) -> Completion:
    mbox = statement.actor.mbox
    email = mbox.removeprefix("mailto:").casefold() if mbox else None
    account = statement.actor.account.name if statement.actor.account else None
    return Completion(email=email, account_name=account, verb=statement.verb.id,
                      at=statement.timestamp or statement.stored)
