"""The clock: UTC now, overridable by ARSHJUL_NOW / --now for tests, the demo and dry runs."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from models.errors import InputError
from models.i18n import _
from models.settings import DEFAULT_TIMEZONE, get_settings


def as_utc(value: datetime, tz: str = DEFAULT_TIMEZONE) -> datetime:
    """Return `value` as an aware UTC datetime; a naive value is read in `tz`."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(tz))
    return value.astimezone(UTC)


def parse_now(text: str, tz: str = DEFAULT_TIMEZONE) -> datetime:
    """Parse an ISO 8601 --now value; a value without offset is local time in `tz`."""
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError as exc:
        raise InputError(
            "--now: "
            + _("'{text}' är ingen tidpunkt enligt ISO 8601 (t.ex. 2027-10-01T08:00)", text=text)
        ) from exc
    return as_utc(parsed, tz)


def now() -> datetime:
    """The current time in UTC, or the configured override."""
    override = get_settings().now
    if override is not None:
        return as_utc(override, get_settings().timezone)
    return datetime.now(UTC)
