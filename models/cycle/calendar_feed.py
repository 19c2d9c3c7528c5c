"""The year's deadlines as an iCalendar feed (RFC 5545) for a person, a unit or everyone.

Each relevant assignment gives two events: its window (all-day, opens → due) and its deadline
(09:00–09:30 local time on the due date, with a reminder the day before). UIDs are derived from
year, step key, scope and event kind only, so a re-exported or re-fetched feed updates the same
events in the calendar client instead of adding copies; SEQUENCE grows with the export time.
Times carry the organisation's timezone as TZID, with its VTIMEZONE.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard
from sqlmodel import Session, select

from models import links, organisation
from models.cycle.tables import Assignment, StepInstance
from models.errors import NotFoundError
from models.i18n import _
from models.org import Person, PersonRole, Unit
from models.roles import load_directory, scopes_for
from models.settings import DEFAULT_TIMEZONE

PRODID = "-//arshjul//Årshjulet för informationssäkerhet och dataskydd//SV"
DEADLINE_TIME = time(9, 0)
#: how long a calendar subscription link stays valid
CALENDAR_LINK_DAYS = 400
_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class FeedItem:
    """One assignment (or, for --all, one step instance) to put in the calendar."""

    step: StepInstance
    scope_kind: str
    scope_id: str
    scope_name: str
    assignment_id: int | None
    submitted: bool


def _live(session: Session, years: list[int] | None):
    stmt = (
        select(StepInstance, Assignment)
        .join(Assignment, Assignment.step_instance_id == StepInstance.id)
        .where(StepInstance.retired_at.is_(None), Assignment.retired_at.is_(None))
    )
    if years:
        stmt = stmt.where(StepInstance.year.in_(years))
    return session.exec(
        stmt.order_by(StepInstance.opens, StepInstance.key, Assignment.scope_id)
    ).all()


def _item(step, assignment, names) -> FeedItem:
    return FeedItem(
        step,
        assignment.scope_kind,
        assignment.scope_id,
        names.get((assignment.scope_kind, assignment.scope_id), assignment.scope_id),
        assignment.id,
        assignment.submitted_at is not None,
    )


def items_for_person(
    person_id: str, *, session: Session, years: list[int] | None = None
) -> list[FeedItem]:
    """Assignments the person answers for: a role of the step's audience held for its scope."""
    if session.get(Person, person_id) is None:
        raise NotFoundError(
            "--person: "
            + _("okänd person '{person_id}' (se organisationsfilen)", person_id=person_id)
        )
    held = {
        (r.role, r.scope_id)
        for r in session.exec(select(PersonRole).where(PersonRole.person_id == person_id)).all()
    }
    names, directory, out = organisation.scope_names(session=session), load_directory(session=session), []
    for step, assignment in _live(session, years):
        for role in step.audience_role.split(","):
            scopes = scopes_for(role, assignment.scope_kind, assignment.scope_id, directory)
            if any((role, scope) in held for scope in scopes):
                out.append(_item(step, assignment, names))
                break
    return out


def items_for_unit(
    unit_id: str, *, session: Session, years: list[int] | None = None
) -> list[FeedItem]:
    """Assignments of the unit and of the board it serves."""
    unit = session.get(Unit, unit_id)
    if unit is None:
        raise NotFoundError(
            "--unit: "
            + _("okänd förvaltning '{unit_id}' (se organisationsfilen)", unit_id=unit_id)
        )
    names = organisation.scope_names(session=session)
    return [
        _item(s, a, names)
        for s, a in _live(session, years)
        if (a.scope_kind, a.scope_id) in {("unit", unit.id), ("board", unit.board_id)}
    ]


def items_for_all(*, session: Session, years: list[int] | None = None) -> list[FeedItem]:
    """Every step instance once (the coordinator's overview)."""
    stmt = select(StepInstance).where(StepInstance.retired_at.is_(None))
    if years:
        stmt = stmt.where(StepInstance.year.in_(years))
    return [
        FeedItem(s, "all", "", "", None, False)
        for s in session.exec(stmt.order_by(StepInstance.opens, StepInstance.key)).all()
    ]


def build_calendar(
    items: list[FeedItem],
    *,
    name: str,
    now: datetime,
    lang: str = "sv",
    tz: str = DEFAULT_TIMEZONE,
    person_id: str | None = None,
) -> bytes:
    """The iCalendar bytes of `items`; with `person_id`, events link to the person's portal page."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", tz)
    if tz.startswith("Europe/"):
        cal.add_component(_eu_timezone(tz, now.year))
    sequence = int((now - _EPOCH).total_seconds() // 60)
    for item in items:
        link = _link(item, person_id, now)
        cal.add_component(_window(item, lang, now, sequence, link))
        cal.add_component(_deadline(item, lang, now, sequence, link, ZoneInfo(tz)))
    if not tz.startswith("Europe/"):
        cal.add_missing_timezones()
    return cal.to_ical()


def _eu_timezone(tz: str, year: int) -> Timezone:
    """A compact VTIMEZONE with the EU summer-time rule (last Sunday of March / October)."""
    zone = ZoneInfo(tz)
    winter = datetime(year, 1, 15, tzinfo=zone)
    summer = datetime(year, 7, 15, tzinfo=zone)
    std, dst = winter.utcoffset(), summer.utcoffset()
    vtz = Timezone()
    vtz.add("tzid", tz)
    for kind, name, start, before, after, month in (
        (TimezoneStandard, winter.tzname(), datetime(1996, 10, 27, 3), dst, std, 10),
        (TimezoneDaylight, summer.tzname(), datetime(1981, 3, 29, 2), std, dst, 3),
    ):
        part = kind()
        part.add("tzname", name)
        part.add("dtstart", start)
        part.add("tzoffsetfrom", before)
        part.add("tzoffsetto", after)
        part.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1su"})
        vtz.add_component(part)
    return vtz


def _uid(item: FeedItem, kind: str) -> str:
    scope = "all" if item.scope_kind == "all" else f"{item.scope_kind}-{item.scope_id or 'org'}"
    return f"{item.step.year}-{item.step.key}-{scope}-{kind}@arshjul"


def _title(item: FeedItem, lang: str) -> str:
    title = item.step.title_en if lang == "en" else item.step.title_sv
    return f"{title} – {item.scope_name}" if item.scope_name else title


def _common(event: Event, item: FeedItem, lang: str, now: datetime, sequence: int, link) -> None:
    event.add("dtstamp", now)
    event.add("last-modified", now)
    event.add("sequence", sequence)
    event.add("categories", [item.step.phase])
    purpose = item.step.purpose_en if lang == "en" else item.step.purpose_sv
    lines = [purpose] if purpose else []
    if link:
        lines.append(("Svara här: " if lang == "sv" else "Answer here: ") + link)
        event.add("url", link)
    if item.submitted:
        lines.append("Inlämnad." if lang == "sv" else "Submitted.")
    if lines:
        event.add("description", "\n".join(lines))


def _window(item, lang, now, sequence, link) -> Event:
    event = Event()
    event.add("uid", _uid(item, "window"))
    event.add("summary", _title(item, lang))
    event.add("dtstart", item.step.opens)
    event.add("dtend", item.step.due + timedelta(days=1))  # DTEND of an all-day event is exclusive
    event.add("transp", "TRANSPARENT")
    _common(event, item, lang, now, sequence, link)
    return event


def _deadline(item, lang, now, sequence, link, zone: ZoneInfo) -> Event:
    event = Event()
    event.add("uid", _uid(item, "due"))
    prefix = "Sista dag: " if lang == "sv" else "Deadline: "
    event.add("summary", prefix + _title(item, lang))
    start = datetime.combine(item.step.due, DEADLINE_TIME, tzinfo=zone)
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=30))
    _common(event, item, lang, now, sequence, link)
    if not item.submitted:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", prefix + _title(item, lang))
        alarm.add("trigger", timedelta(days=-1))
        event.add_component(alarm)
    return event


def _link(item: FeedItem, person_id: str | None, now: datetime) -> str | None:
    if not person_id or item.assignment_id is None or item.step.kind == "campaign":
        return None
    expires = max(
        links.default_expiry(now),
        datetime.combine(item.step.due + timedelta(days=60), time(), tzinfo=UTC),
    )
    return links.portal_url(links.make_token(person_id, item.assignment_id, expires))


def subscription_token(person_id: str, now: datetime) -> str:
    """A signed token for the person's calendar subscription URL (kind `calendar`)."""
    return links.make_subject_token(
        links.CALENDAR, "", person_id, now + timedelta(days=CALENDAR_LINK_DAYS)
    )


def subscription_url(person_id: str, now: datetime) -> str:
    """The portal URL a calendar client subscribes to."""
    return links.portal_url(subscription_token(person_id, now), kind=links.CALENDAR) + ".ics"


def person_feed(person_id: str, *, session: Session, now: datetime) -> bytes:
    """The person's feed as served by the portal and written by `arshjul calendar --person`."""
    person = session.get(Person, person_id)
    org = organisation.info(session=session)
    items = items_for_person(person_id, session=session)
    lang = org.language
    name = ("Årshjul – " if lang == "sv" else "Annual wheel – ") + (person.name if person else "")
    return build_calendar(
        items,
        name=name,
        now=now,
        lang=lang,
        tz=org.timezone,
        person_id=person_id,
    )


def today_local(now: datetime, tz: str = DEFAULT_TIMEZONE) -> date:
    return now.astimezone(ZoneInfo(tz)).date()
