"""Benchmark: 50,000 users from the Graph fake over loopback HTTP into the store.

Measures, each in its own child process (so peak memory is the phase's own):
- baseline: a plain httpx loop that fetches a token, pages `GET /v1.0/users` by
  @odata.nextLink and only parses the JSON;
- sync: GraphClient + sync_people into a fresh SQLite store and a fresh PostgreSQL database.
Prints seconds, peak RSS and the ratio sync/baseline measured in the same run (interleaved
rounds, best of each, because the machine is shared).
Goals: under 15 s, under 400 MB, ratio under 3.

Usage: .venv/bin/python bench/directory_sync.py [--users 50000] [--pg postgresql+psycopg://…]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

DEPTS = ["Socialförvaltningen", "Kultur- och fritid", "Kommunledningskontoret", "Okänd"]


def _serve(users: int, ready) -> None:
    from tests.tasks.graph_fake import GraphFake, make_users, serve

    fake = GraphFake(make_users(users, DEPTS))
    with serve(fake) as url:
        ready.put(url)
        while True:
            time.sleep(3600)


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _baseline(url: str, out) -> None:
    import httpx

    from tests.tasks.graph_fake import CLIENT_ID, CLIENT_SECRET, TENANT

    start = time.perf_counter()
    with httpx.Client(base_url=url, timeout=60) as client:
        token = client.post(f"/{TENANT}/oauth2/v2.0/token", data={
            "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
            "scope": "https://graph.microsoft.com/.default",
            "grant_type": "client_credentials"}).json()["access_token"]
        link, count = ("/v1.0/users?$select=id,displayName,mail,department,accountEnabled,"
                       "lastPasswordChangeDateTime&$top=999"), 0
        while link:
            page = client.get(link, headers={"Authorization": f"Bearer {token}"}).json()
            count += len(page["value"])
            link = page.get("@odata.nextLink")
    out.put((time.perf_counter() - start, _rss_mb(), count))


def _sync(url: str, store_url: str, out) -> None:
    """The production path: tasks.directory_sync.sync_directory_now with Graph settings."""
    from models import db
    from models.clock import now
    from models.settings import get_settings
    from tasks.directory_sync import sync_directory_now
    from tests.models.campaigns.campaign_data import seed_organisation
    from tests.tasks.graph_fake import CLIENT_ID, CLIENT_SECRET, TENANT

    os.environ.update({"ARSHJUL_DATABASE_URL": store_url, "ARSHJUL_DIRECTORY": "graph",
                       "ARSHJUL_GRAPH_URL": url, "ARSHJUL_GRAPH_TENANT_ID": TENANT,
                       "ARSHJUL_GRAPH_CLIENT_ID": CLIENT_ID,
                       "ARSHJUL_GRAPH_CLIENT_SECRET": CLIENT_SECRET,
                       "ARSHJUL_GRAPH_TOKEN_URL": f"{url}/{TENANT}/oauth2/v2.0/token"})
    get_settings.cache_clear()
    db.migrate(store_url)
    with db.session(store_url) as s:
        seed_organisation(s)
    start = time.perf_counter()
    counts = sync_directory_now(now())
    out.put((time.perf_counter() - start, _rss_mb(), counts["created"]))


def _campaign_pass(store_url: str, out) -> None:
    """On the synced store: start a drive over everyone, then time one pass of its tasks."""
    from datetime import date, datetime, timedelta
    from zoneinfo import ZoneInfo

    from models import db
    from models.campaigns import store as campaign_store
    from models.settings import get_settings
    from tasks.campaign_tasks import record_campaign_messages_now, refresh_campaigns_now

    os.environ["ARSHJUL_DATABASE_URL"] = store_url
    get_settings.cache_clear()
    start = datetime(2026, 10, 5, 9, tzinfo=ZoneInfo("Europe/Stockholm"))
    with db.session() as s:
        campaign_store.start_drive(session=s, now=start, deadline=date(2026, 10, 14),
                                   start_day=start.date(), population={},
                                   include_elected=False, force_change=False)
    times, recorded = [], 0
    for fn, at in ((refresh_campaigns_now, start), (record_campaign_messages_now, start),
                   (refresh_campaigns_now, start + timedelta(hours=3))):
        t = time.perf_counter()
        recorded = fn(at).get("remind", recorded)
        times.append(time.perf_counter() - t)
    out.put((*times, recorded, _rss_mb()))


def _phase(target, *args):
    """Run `target` in a child process and return what it put on the queue.

    A child that dies without an answer (a traceback is on stderr) fails the bench at once
    instead of leaving it waiting.
    """
    import queue

    out = mp.Queue()
    proc = mp.Process(target=target, args=(*args, out))
    proc.start()
    deadline = time.monotonic() + 600
    while True:
        try:
            result = out.get(timeout=1)
            break
        except queue.Empty:
            if not proc.is_alive() or time.monotonic() > deadline:
                proc.terminate()
                raise SystemExit(f"{target.__name__} ended without a result "
                                 f"(exit code {proc.exitcode})") from None
    proc.join(60)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-campaign-pass", dest="campaign_pass", action="store_false",
                        help="skip timing a drive's pass over the synced people")
    parser.add_argument("--pg", default=os.environ.get(
        "ARSHJUL_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432"))
    args = parser.parse_args()
    ready = mp.Queue()
    server = mp.Process(target=_serve, args=(args.users, ready), daemon=True)
    server.start()
    url = ready.get(timeout=120)
    try:
        _phase(_baseline, url)  # warm-up
        with tempfile.TemporaryDirectory() as tmp:
            results = {"baseline": [], "sqlite": [], "postgresql": []}
            passes = []
            # interleaved rounds, best of each: the machine is shared, load comes and goes
            for round_ in range(args.rounds):
                results["baseline"].append(_phase(_baseline, url))
                sqlite_url = f"sqlite:///{tmp}/bench{round_}.db"
                results["sqlite"].append(_phase(_sync, url, sqlite_url))
                from models.db import scratch_database  # lazily, as the phases import theirs

                with scratch_database(args.pg, "arshjul_bench_directory") as pg_url:
                    results["postgresql"].append(_phase(_sync, url, pg_url))
                    if args.campaign_pass and round_ == args.rounds - 1:
                        # on the last round's synced stores, before the scratch database goes
                        passes = [("sqlite", _phase(_campaign_pass, sqlite_url)),
                                  ("postgresql", _phase(_campaign_pass, pg_url))]
            base_s, base_mb, n = min(results["baseline"])
            print(f"baseline httpx paging+parse: {n} users in {base_s:.2f} s, peak "
                  f"{base_mb:.0f} MB (best of {args.rounds})")
            for name in ("sqlite", "postgresql"):
                secs, mb, created = min(results[name])
                print(f"sync into {name}: {created} people in {secs:.2f} s, peak {mb:.0f} MB, "
                      f"ratio {secs / base_s:.2f} (goals: < 15 s, < 400 MB, ratio < 3)")
            for name, (first, record, again, recorded, mb) in passes:
                print(f"campaign pass on {name}: members joined {first:.2f} s, "
                      f"{recorded} reminders recorded {record:.2f} s, unchanged refresh "
                      f"{again:.2f} s, peak {mb:.0f} MB")
    finally:
        server.terminate()


if __name__ == "__main__":
    main()
