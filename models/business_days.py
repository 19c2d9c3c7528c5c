"""The Swedish business-day calendar: weekends, public holidays and the de facto ones."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _holidays(year: int) -> frozenset[date]:
    # julafton, midsommarafton and nyårsafton are de facto holidays: offices are closed.
    days = holidays.country_holidays("SE", years=year, categories=("public", "de_facto"))
    # The package lists every Sunday as a public holiday in SE; weekends are handled separately.
    return frozenset(d for d, name in days.items() if name != "Söndag")


def holiday_name(day: date) -> str | None:
    """The holiday's Swedish name, or None on an ordinary day."""
    days = holidays.country_holidays(
        "SE", years=day.year, categories=("public", "de_facto"), language="sv"
    )
    name = days.get(day)
    return None if name in (None, "Söndag") else name


def is_business_day(day: date) -> bool:
    """True on Monday–Friday that is neither a public nor a de facto holiday."""
    return day.weekday() < 5 and day not in _holidays(day.year)


def next_business_day(day: date) -> date:
    """`day` itself if it is a business day, else the next one."""
    while not is_business_day(day):
        day += timedelta(days=1)
    return day


def add_business_days(day: date, count: int) -> date:
    """The date `count` business days after `day` (count ≥ 0; 0 gives `day` adjusted forward)."""
    day = next_business_day(day)
    for _ in range(count):
        day = next_business_day(day + timedelta(days=1))
    return day
