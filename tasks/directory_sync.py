"""Read the identity directory (Graph, SCIM or CSV, per settings) into the store's people.

`sync_directory_now` is the plain function (CLI and tests); `sync_directory` the Prefect task,
which retries what is worth retrying (throttling, 5xx, network) and logs counts only.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

import httpx
from prefect import task
from prefect.cache_policies import NO_CACHE

from models import db
from models.campaigns.directory import DirectoryUser
from models.campaigns.directory_store import sync_people
from models.clock import parse_now
from models.errors import InputError
from models.i18n import _
from models.settings import Settings, get_settings
from tasks.connectors.base import ConnectorError, prefetch
from tasks.connectors.csvdir import read_users
from tasks.connectors.graph import GraphClient
from tasks.connectors.scim import ScimClient

TIMEOUT = httpx.Timeout(60.0, connect=10.0)


def _secret(value) -> str:
    return value.get_secret_value() if value is not None else ""


def graph_client(settings: Settings, client: httpx.Client) -> GraphClient:
    if not (settings.graph_tenant_id and settings.graph_client_id and settings.graph_client_secret):
        raise InputError(_("directory=graph behöver ARSHJUL_GRAPH_TENANT_ID, ARSHJUL_GRAPH_CLIENT_ID och ARSHJUL_GRAPH_CLIENT_SECRET"))
    return GraphClient(client, tenant_id=settings.graph_tenant_id,
                       client_id=settings.graph_client_id,
                       client_secret=_secret(settings.graph_client_secret),
                       token_url=settings.graph_token_url)


@contextmanager
def open_graph(settings: Settings | None = None) -> Iterator[GraphClient]:
    """A Graph client from settings, closed afterwards."""
    settings = settings or get_settings()
    with httpx.Client(base_url=settings.graph_url, timeout=TIMEOUT) as client:
        yield graph_client(settings, client)


@contextmanager
def directory_pages(settings: Settings | None = None) -> Iterator[Iterator[list[DirectoryUser]]]:
    """The configured directory's users, page by page."""
    settings = settings or get_settings()
    kind = settings.directory
    if kind == "graph":
        with open_graph(settings) as graph:
            yield graph.iter_user_pages()
    elif kind == "scim":
        if not settings.scim_url:
            raise InputError(_("directory=scim behöver ARSHJUL_SCIM_URL"))
        with httpx.Client(base_url=settings.scim_url, timeout=TIMEOUT) as client:
            yield ScimClient(client, token=_secret(settings.scim_token) or None).iter_user_pages()
    elif kind == "csv":
        if not settings.directory_csv:
            raise InputError(_("directory=csv behöver ARSHJUL_DIRECTORY_CSV (filen)"))
        yield read_users(settings.directory_csv)
    else:
        raise InputError(_("ARSHJUL_DIRECTORY är '{kind}': ange graph, scim eller csv för att synka personer", kind=kind))


def sync_directory_now(now: datetime) -> dict:
    """Sync the configured directory into the store; returns counts (no personal data)."""
    settings = get_settings()
    with directory_pages(settings) as pages, db.session() as session:
        counts = sync_people(prefetch(pages), source=settings.directory, session=session,
                             now=now)
    return {"source": settings.directory, **counts.public()}


def worth_retrying(task, task_run, state) -> bool:
    """Retry throttling, 5xx and network failures; not bad configuration or 4xx."""
    try:
        state.result()
    except ConnectorError as exc:
        return exc.retryable
    except Exception:  # noqa: BLE001 - anything else is not worth another attempt
        return False
    return False


@task(name="sync_directory", retries=3, retry_delay_seconds=[60, 300, 900],
      retry_condition_fn=worth_retrying, cache_policy=NO_CACHE)
def sync_directory(now_iso: str) -> dict:
    """Upsert the directory's people into the store and deactivate those gone."""
    return sync_directory_now(parse_now(now_iso, "UTC"))
