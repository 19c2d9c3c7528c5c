"""The year's deadlines as an iCalendar feed (RFC 5545) for a person, a unit or everyone.

Each relevant assignment gives one all-day event on its due date ("Sista dag: Riskanalys –
Socialförvaltningen"), free time (TRANSP:TRANSPARENT) so that it never blocks a meeting, with the
portal link as URL and in the description, and a reminder at 09:00 the day before while nothing is
submitted. No multi-week banners: the openings are a separate, optional feed (`openings=True`:
one all-day event on each opening day). UIDs are derived from year, step key, scope and event kind
only, so a re-exported or re-fetched feed updates the same events in the calendar client instead
of adding copies; SEQUENCE grows with the export time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event
from sqlmodel import Session, select

from models import links, organisation
from models.cycle.tables import Assignment, StepInstance
from models.errors import NotFoundError
from models.i18n import _, gettext
from models.org import Person, PersonRole, Unit
from models.roles import load_directory, scopes_for
from models.settings import DEFAULT_TIMEZONE

PRODID = "-//arshjul//Årshjulet för informationssäkerhet och dataskydd//SV"
#: the reminder of a deadline: 09:00 the day before (relative to the all-day event's midnight)
REMINDER_BEFORE = timedelta(hours=-15)
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
    names, directory = organisation.scope_names(session=session), load_directory(session=session)
    out = []
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
    openings: bool = False,
) -> bytes:
    """The iCalendar bytes of `items`: one all-day event per deadline (or, with `openings`, per
    opening day); with `person_id`, events link to the person's portal page."""
    cal = Calendar()
    for key, value in (("prodid", PRODID), ("version", "2.0"), ("calscale", "GREGORIAN"),
                       ("method", "PUBLISH"), ("x-wr-calname", name), ("x-wr-timezone", tz)):
        cal.add(key, value)
    sequence = int((now - _EPOCH).total_seconds() // 60)
    for item in items:
        link = _link(item, person_id, now)
        make = _opening if openings else _deadline
        cal.add_component(make(item, lang, now, sequence, link))
    return cal.to_ical()


def _uid(item: FeedItem, kind: str) -> str:
    scope = "all" if item.scope_kind == "all" else f"{item.scope_kind}-{item.scope_id or 'org'}"
    return f"{item.step.year}-{item.step.key}-{scope}-{kind}@arshjul"


def _title(item: FeedItem, lang: str) -> str:
    title = item.step.title_en if lang == "en" else item.step.title_sv
    return f"{title} – {item.scope_name}" if item.scope_name else title


def _all_day(item: FeedItem, kind: str, day: date, summary: str, lang: str, now: datetime,
             sequence: int, link: str | None) -> Event:
    event = Event()
    event.add("uid", _uid(item, kind))
    event.add("summary", summary)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))  # DTEND of an all-day event is exclusive
    event.add("transp", "TRANSPARENT")
    event.add("dtstamp", now)
    event.add("last-modified", now)
    event.add("sequence", sequence)
    event.add("categories", [item.step.phase])
    purpose = item.step.purpose_en if lang == "en" else item.step.purpose_sv
    lines = [purpose] if purpose else []
    if link:
        title = item.step.title_en if lang == "en" else item.step.title_sv
        action = links.action_label(links.ASSIGNMENT, title, item.scope_name, lang)
        lines.append(f"{action}: {link}")
        event.add("url", link)
    if item.submitted:
        lines.append(gettext("Inlämnad.", lang))
    if lines:
        event.add("description", "\n".join(lines))
    return event


def _deadline(item, lang, now, sequence, link) -> Event:
    summary = gettext("Sista dag: {title}", lang, title=_title(item, lang))
    event = _all_day(item, "due", item.step.due, summary, lang, now, sequence, link)
    if not item.submitted:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", summary)
        alarm.add("trigger", REMINDER_BEFORE)
        event.add_component(alarm)
    return event


def _opening(item, lang, now, sequence, link) -> Event:
    summary = gettext("Öppnar: {title}", lang, title=_title(item, lang))
    return _all_day(item, "opens", item.step.opens, summary, lang, now, sequence, link)


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
    name = gettext("Årshjul – {name}", lang, name=person.name if person else "")
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
