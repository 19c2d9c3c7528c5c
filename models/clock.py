"""The clock: UTC now, overridable by ARSHJUL_NOW / --now for tests, the demo and dry runs."""

from __future__ import annotations

import calendar
import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from models.errors import InputError
from models.i18n import _
from models.settings import DEFAULT_TIMEZONE, EARLIEST, LATEST, get_settings


def as_utc(value: datetime, tz: str = DEFAULT_TIMEZONE) -> datetime:
    """Return `value` as an aware UTC datetime; a naive value is read in `tz`."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(tz))
    return value.astimezone(UTC)


_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")


class OutOfRange(ValueError):
    """A readable time outside EARLIEST–LATEST."""


def read_time(text: str, tz: str = DEFAULT_TIMEZONE) -> datetime:
    """An ISO 8601 time as UTC (without offset: local time in `tz`), within EARLIEST–LATEST.

    Raises:
        ValueError: why not, in the command line's language (after the value: `'…' <reason>`).
    """
    try:
        parsed = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(_unreadable(text)) from None
    if not EARLIEST.year <= parsed.year < LATEST.year:  # before as_utc can overflow
        raise OutOfRange(_out_of_range(text))
    value = as_utc(parsed, tz)
    if not EARLIEST <= value < LATEST:
        raise OutOfRange(_out_of_range(text))
    return value


def _unreadable(text: str) -> str:
    found = _DATE.match(text)
    if found:
        year, month, day = (int(part) for part in found.groups())
        if 1 <= month <= 12 and day > calendar.monthrange(max(year, 1), month)[1]:
            if (month, day) == (2, 29):
                return _("'{text}': {year} är inget skottår, så 29 februari finns inte det året",
                         text=text, year=year)
            days = calendar.monthrange(year, month)[1]
            return _("'{text}': dag {day} finns inte, månaden har {days}",
                     text=text, day=day, days=days)
    return _("'{text}' är ingen tidpunkt enligt ISO 8601 (t.ex. 2027-10-01T08:00)", text=text)


def _out_of_range(text: str) -> str:
    return _("'{text}' ligger utanför {first}–{last}",
             text=text, first=EARLIEST.year, last=LATEST.year - 1)


def parse_now(text: str, tz: str = DEFAULT_TIMEZONE) -> datetime:
    """Parse an ISO 8601 --now value; a value without offset is local time in `tz`."""
    try:
        return read_time(text, tz)
    except ValueError as exc:
        raise InputError(f"--now: {exc}") from exc


def now() -> datetime:
    """The current time in UTC, or the configured override."""
    override = get_settings().now
    if override is not None:
        return as_utc(override, get_settings().timezone)
    return datetime.now(UTC)
