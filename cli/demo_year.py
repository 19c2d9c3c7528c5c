"""The demo year: plan, then tick from one wake-up to the next while simulated contacts answer.

Every plan, tick and report here is a real Prefect flow run against the Prefect API in the
current settings context (cli/demo.py starts a local server); the clock jumps with ARSHJUL_NOW.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from time import monotonic
from zoneinfo import ZoneInfo

from models import db
from models.business_days import next_business_day
from models.cycle.status import step_status
from models.notify import ledger
from models.notify.plan import next_wakeup
from models.settings import get_settings

Echo = Callable[[str], None]


@dataclass
class YearStats:
    """What the demo year did, for the progress lines and the closing summary."""

    ticks: int = 0
    messages: int = 0
    months: dict[str, list[int]] = field(default_factory=dict)  # month → [ticks, messages]
    last: datetime | None = None
    started: float = field(default_factory=monotonic)


def set_clock(at: datetime) -> None:
    """Move the clock of this process (flows, tasks and the in-process portal) to `at`."""
    os.environ["ARSHJUL_NOW"] = at.isoformat()
    get_settings.cache_clear()


def local(at: datetime) -> datetime:
    return at.astimezone(ZoneInfo(get_settings().timezone))


def at_local(day: date, hour: int = 8, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), ZoneInfo(get_settings().timezone))


def plan_year(year: int) -> dict:
    """Plan `year` as the December deployment would: a `plan <year>` flow run."""
    from flows.plan import plan

    set_clock(at_local(date(year - 1, 12, 1)))
    return plan(year=year)


def before_the_year(out, year: int, seed: int) -> int:
    """Last year's figures imported and the year's action plan adopted (cli/demo_plan);
    returns the plan's activities."""
    from cli.demo_plan import adopt_plan, previous_year

    set_clock(at_local(date(year - 1, 12, 13), 15))
    previous_year(out, year)
    return adopt_plan(year, seed)


def run_year(year: int, contacts, *, until: date | None, echo: Echo, started: float,
             update: Echo = lambda _text: None, events=None) -> YearStats:
    """Tick from wake-up to wake-up until nothing is left (or past `until`).

    Before each 08:00 tick the contacts answer what they mean to answer by then, so their
    receipts go out with that tick; after it they read the mail it delivered. The year's
    `events` (cli/demo_events: incidents, campaigns) happen in between, at their own times.
    """
    stats, now = YearStats(started=started), at_local(date(year - 1, 12, 1))
    while True:
        with db.session() as session:
            wake = next_wakeup(now, session=session)
        event = events.next_at() if events else None
        if event and (wake is None or event < wake) and not (until and event.date() > until):
            now = event
            _new_month(stats, now, year, echo)
            set_clock(now)
            events.run_due(now)
            with db.session() as session:
                _count(stats, now, contacts.read_mail(now, session=session), tick=False)
            continue
        if wake is None or (until and local(wake).date() > until):
            break
        _new_month(stats, wake, year, echo)
        update(f"Tick {local(wake):%Y-%m-%d %H:%M} …")
        set_clock(wake - timedelta(minutes=30))
        contacts.answer_due(local(wake).date())
        now = wake
        _tick(now, contacts, stats)
    if _pending_messages():  # the last answers' receipts: one more business-day tick
        now = at_local(next_business_day(local(now).date() + timedelta(days=1)))
        _tick(now, contacts, stats)
    _month_line(stats, year, echo)
    return stats


def _tick(now: datetime, contacts, stats: YearStats) -> None:
    from flows.tick import tick

    set_clock(now)
    tick(now=now.isoformat())
    with db.session() as session:
        new = contacts.read_mail(now, session=session)
    _count(stats, now, new)


def _new_month(stats: YearStats, moment: datetime, year: int, echo: Echo) -> None:
    if stats.months and f"{local(moment):%Y-%m}" not in stats.months:
        _month_line(stats, year, echo)  # the month before this moment is complete


def _pending_messages() -> bool:
    with db.session() as session:
        return any(n for (_, state), n in ledger.counts(session=session).items()
                   if state == "pending")


def _count(stats: YearStats, now: datetime, messages: int, tick: bool = True) -> None:
    counts = stats.months.setdefault(f"{local(now):%Y-%m}", [0, 0])
    counts[0] += tick
    counts[1] += messages
    stats.ticks += tick
    stats.messages += messages
    stats.last = now


def _month_line(stats: YearStats, year: int, echo: Echo) -> None:
    if not stats.months or stats.last is None:
        return
    month, (ticks, messages) = list(stats.months.items())[-1]
    with db.session() as session:
        rows = step_status(year, stats.last, session=session)
    done, total = sum(r.submitted for r in rows), sum(r.total for r in rows)
    late = sum(r.overdue for r in rows)
    echo(f"  {month}: {ticks:2} tick, {messages:3} meddelanden, inlämnat {done:3}/{total}, "
         f"försenat {late:2}  ({monotonic() - stats.started:.0f} s)")


def write_report(year: int, directory: str, text_file: str | None = None) -> dict | None:
    """The annual report as a `report <year>` flow run, with the coordinator's text."""
    from flows.report import report

    return report(year=year, directory=directory, text_file=text_file)


def year_events(out, year: int, seed: int, echo: Echo):
    """The year's incidents and campaigns (cli/demo_events) over the demo's employees."""
    from sqlmodel import select

    from cli.demo_events import DemoEvents
    from cli.demo_people import PeopleFiles, employees
    from models.org import Unit

    with db.session() as session:
        names = {u.id: u.name for u in session.exec(select(Unit))}
    files = PeopleFiles(out / "katalog", employees(seed, names))
    return DemoEvents(year, files, at_local, echo)


def coordinator_text(out, year: int) -> str:
    """The coordinator's own text for the report (examples/arsrapport-text.md, for `year`)."""
    from models.settings import ROOT

    text = (ROOT / "examples" / "arsrapport-text.md").read_text(encoding="utf-8")
    path = out / "rapport-text.md"
    path.write_text(text.replace("{year}", str(year)).replace("{next}", str(year + 1)),
                    encoding="utf-8")
    return str(path)
