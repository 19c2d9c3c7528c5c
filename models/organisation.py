"""The one home of the organisation: its name, timezone and language, and the display names of its
boards and units.

Everything that needs one of these asks here; this module is the only reader of the Organisation
row. When no organisation file has been imported yet, the fallbacks are the configured timezone
(`ARSHJUL_TIMEZONE`) and Swedish, and the organisation is called "hela organisationen".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from models.i18n import gettext
from models.org import Board, Organisation, Unit
from models.settings import get_settings

LANGUAGES = ("sv", "en")


@dataclass(frozen=True)
class OrgInfo:
    """What the rest of the product reads of the organisation."""

    name: str
    timezone: str
    language: str
    loaded: bool
    department_map: dict = field(default_factory=dict)

    @property
    def tz(self) -> ZoneInfo:
        """The organisation's timezone as a ZoneInfo."""
        return ZoneInfo(self.timezone)

    def today(self, at: datetime) -> date:
        """The organisation's local date at the aware instant `at`."""
        return at.astimezone(self.tz).date()

    def display_name(self, lang: str | None = None) -> str:
        """The organisation's name, or "hela organisationen" before a file was imported."""
        return self.name or gettext("hela organisationen", lang or self.language)


def row(*, session: Session) -> Organisation | None:
    """The Organisation row itself, for the import that writes it (None before the first)."""
    return session.get(Organisation, 1)


def info(*, session: Session) -> OrgInfo:
    """The organisation's name, timezone and language, with the one set of fallbacks."""
    org = row(session=session)
    if org is None:
        return OrgInfo(name="", timezone=get_settings().timezone, language="sv", loaded=False)
    return OrgInfo(
        name=org.name,
        timezone=org.timezone or get_settings().timezone,
        language=org.language if org.language in LANGUAGES else "sv",
        loaded=True,
        department_map=dict(org.department_map or {}),
    )


def local_today(at: datetime, *, session: Session) -> date:
    """The organisation's local date at `at` (an aware instant)."""
    return info(session=session).today(at)


def scope_names(*, session: Session) -> dict[tuple[str, str], str]:
    """Display names by (scope kind, scope id): every board and unit, and the organisation."""
    names = {("board", b.id): b.name for b in session.exec(select(Board))}
    names |= {("unit", u.id): u.name for u in session.exec(select(Unit))}
    names[("organisation", "")] = info(session=session).name
    return names


def scope_name(scope_kind: str, scope_id: str, lang: str, *, session: Session) -> str:
    """The display name of one board, unit or the whole organisation (the id when unknown)."""
    if scope_kind == "board":
        board = session.get(Board, scope_id)
        return board.name if board else scope_id
    if scope_kind == "unit":
        unit = session.get(Unit, scope_id)
        return unit.name if unit else scope_id
    return info(session=session).display_name(lang)
