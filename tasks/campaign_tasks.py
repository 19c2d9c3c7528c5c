"""Campaign tasks: refresh who is done, record due messages, close at the deadline, force
password changes, publish progress. Each has a plain `…_now` function (CLI, tests) and a
Prefect task around it; everything they return or log is ids and counts.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime

import httpx
from prefect import task
from prefect.cache_policies import NO_CACHE

from models import db, organisation
from models.campaigns import notify as campaign_notify
from models.campaigns import step_state
from models.campaigns import store as campaign_store
from models.campaigns.directory import aware_utc
from models.campaigns.rules import local_now
from models.campaigns.tables import PASSWORD_RESET, TRAINING, Campaign
from models.clock import parse_now
from models.errors import InputError
from models.i18n import _
from models.settings import get_settings
from tasks.connectors.base import ConnectorError
from tasks.connectors.xapi import XapiClient
from tasks.connectors.xapi_file import is_file_url, read_completions
from tasks.directory_sync import TIMEOUT, _secret, worth_retrying

log = logging.getLogger("arshjul.campaigns")


def _tz(session) -> str:
    return organisation.info(session=session).timezone


def _completions(campaign: Campaign) -> list:
    settings = get_settings()
    if not settings.xapi_url:
        raise InputError(_("en utbildningskampanj behöver ARSHJUL_XAPI_URL (LRS:ens xAPI-adress)"))
    if is_file_url(settings.xapi_url):  # an LRS export as a file (tasks/connectors/xapi_file)
        return read_completions(settings.xapi_url, campaign.options["course"],
                                campaign.started_at)
    auth = (settings.xapi_username, _secret(settings.xapi_password))
    with httpx.Client(base_url=settings.xapi_url, auth=auth, timeout=TIMEOUT) as client:
        lrs = XapiClient(client)
        return [c for page in lrs.iter_completions(campaign.options["course"],
                                                   campaign.started_at) for c in page]


def _refresh_one(c: Campaign, session, now: datetime, stats: Counter) -> None:
    people = campaign_store.population(c, session=session)
    stats.update(campaign_store.reconcile_members(c, people, session=session, now=now))
    if c.kind == PASSWORD_RESET:
        stats["done"] += campaign_store.mark_password_changes(c, people, session=session)
    elif c.kind == TRAINING:
        stats["done"] += campaign_store.mark_completions(
            c, people, _completions(c), session=session, now=now)
    stats["units_complete"] += step_state.sync_step(c, session=session, now=now)
    c.last_synced_at = aware_utc(now)
    session.add(c)
    session.commit()
    stats["cancelled"] += campaign_notify.cancel_moot_reminders(c, session=session)


def refresh_campaigns_now(now: datetime) -> dict:
    """Start training campaigns whose step opened; bring every active campaign's members and
    done marks up to date (directory for drives, LRS for training).

    One campaign's failure (LRS down, a step without a course) does not hold back the others:
    it is logged by id and counted as `failed`, and its people keep their last known state.
    """
    stats: Counter = Counter()
    with db.session() as session:
        tz = _tz(session)
        for step in campaign_store.open_training_steps(session=session,
                                                       today=local_now(now, tz).date()):
            try:
                campaign_store.start_training(step, session=session, now=now, tz=tz)
                session.commit()
                stats["started"] += 1
            except InputError as exc:
                session.rollback()
                stats["failed"] += 1
                log.warning("training step %s not started: %s", step.id, exc)
        for c in campaign_store.active_campaigns(session=session):
            try:
                _refresh_one(c, session, now, stats)
                stats["campaigns"] += 1
            except (ConnectorError, InputError) as exc:
                session.rollback()
                stats["failed"] += 1
                log.warning("campaign %s not refreshed: %s", c.id, exc)
    return dict(stats)


def record_campaign_messages_now(now: datetime) -> dict:
    """Record in the ledger each active campaign's due reminders, reports and escalations."""
    stats: Counter = Counter()
    settings = get_settings()
    with db.session() as session:
        tz = _tz(session)
        for c in campaign_store.active_campaigns(session=session):
            stats.update(campaign_notify.record_due(c, session=session, now=now, tz=tz,
                                                    send_hour=settings.send_hour))
    return dict(stats)


def close_campaigns_now(now: datetime) -> list[dict]:
    """Close campaigns whose deadline passed: the IT list for drives. Returns id and count."""
    closed = []
    with db.session() as session:
        tz = _tz(session)
        for c in campaign_store.active_campaigns(session=session):
            if campaign_notify.ready_to_close(c, now=now, tz=tz):
                remaining = campaign_notify.close(c, session=session, now=now)
                closed.append({"campaign": c.id, "not_done": remaining,
                               "force_change": c.force_change})
    return closed


@task(name="refresh_campaigns", retries=2, retry_delay_seconds=[120, 600],
      retry_condition_fn=worth_retrying, cache_policy=NO_CACHE)
def refresh_campaigns(now_iso: str) -> dict:
    """Bring campaign members and their done marks up to date."""
    return refresh_campaigns_now(parse_now(now_iso, "UTC"))


@task(name="record_campaign_messages", cache_policy=NO_CACHE)
def record_campaign_messages(now_iso: str) -> dict:
    """Record due campaign reminders, chef reports and escalations in the ledger."""
    return record_campaign_messages_now(parse_now(now_iso, "UTC"))


@task(name="close_campaigns", cache_policy=NO_CACHE)
def close_campaigns(now_iso: str) -> list[dict]:
    """Close campaigns past their deadline and record the IT lists."""
    return close_campaigns_now(parse_now(now_iso, "UTC"))
