"""Changing a registered incident: closing its clocks (reported, or decided not to) and reassessing.

Every function checks all its input first and raises InputError before writing anything; the
caller's session rolls back on error, so an update is all or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from models.errors import InputError
from models.i18n import _
from models.incidents import clocks as rules
from models.incidents.register import Incident, IncidentClock, clocks_of, org_timezone
from models.org import Person, PersonRole
from models.plaintext import printable

DPO = "dataskyddsombud"


@dataclass(frozen=True)
class Closing:
    """One clock (or group, for decisions) to close: reported with a reference, or not reporting."""

    clock: str
    reference: str = ""
    at: datetime | None = None
    reason: str = ""
    reporting: bool = True


def _targets(incident: Incident, name: str, *, session: Session) -> list[IncidentClock]:
    if name not in rules.CLOCK_GROUPS:
        choices = ", ".join(rules.CLOCK_GROUPS)
        raise InputError(
            _("clock: okänd klocka '{name}' (en av {choices})", name=name, choices=choices)
        )
    clocks = [
        c for c in clocks_of(incident.id, session=session) if c.kind in rules.CLOCK_GROUPS[name]
    ]
    if not clocks:
        raise InputError(
            _("clock: incident {incident_id} har ingen klocka '{name}'", incident_id=incident.id, name=name)
        )
    return clocks


def _check(incident: Incident, closing: Closing, by: str, now: datetime, *, session: Session):
    problems: list[str] = []
    if closing.reporting:
        if closing.clock == "nis2":
            problems.append(
                _("--reported: ange vilken NIS2-klocka (nis2-early-warning, nis2-notification eller nis2-final-report)")
            )
        if not closing.reference.strip():
            problems.append(
                _("--ref: referensnumret för rapporten ({closing_clock}) saknas", closing_clock=closing.clock)
            )
        at = closing.at or now
        if at > now:
            problems.append(
                _("--at: {value} ligger i framtiden", value=rules.local(at))
            )
        elif at < incident.aware_at:
            problems.append(
                _("--at: {value} är före tidpunkten för kännedom", value=rules.local(at))
            )
    elif not closing.reason.strip():
        problems.append(
            _("--reason: ange varför {closing_clock} inte rapporteras (sparas som underlag)", closing_clock=closing.clock)
        )
    elif closing.clock == rules.GDPR and by and not _holds(by, DPO, session=session):
        problems.append(
            _("--by: '{by}' är inte dataskyddsombud; beslutet registreras av dataskyddsombudet", by=by)
        )
    return problems


def _holds(person_id: str, role: str, *, session: Session) -> bool:
    stmt = select(PersonRole).where(PersonRole.person_id == person_id, PersonRole.role == role)
    return session.exec(stmt).first() is not None


def close_clocks(
    incident: Incident, closings: list[Closing], *, by: str, now: datetime, session: Session
) -> list[IncidentClock]:
    """Close clocks of `incident` as recorded; return the clocks changed.

    A reported clock keeps when and with which reference number; a decision not to report keeps its
    reason and who made it. Reporting the NIS2 notification moves the final-report deadline to one
    month after it. Raises InputError (nothing written) on any problem.
    """
    problems = []
    if by and session.get(Person, by) is None:
        problems.append(_("--by: okänd person '{by}'", by=by))
    plan: list[tuple[IncidentClock, Closing]] = []
    for closing in closings:
        try:
            clocks = _targets(incident, closing.clock, session=session)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        problems.extend(_check(incident, closing, by, now, session=session))
        for clock in clocks:
            if clock.status != rules.OPEN:
                record = f"{clock.status} {clock.reference or clock.reason}".rstrip()
                problems.append(
                    _("clock: {clock_kind} för incident {incident_id} är redan stängd ({record})", clock_kind=clock.kind, incident_id=incident.id, record=record)
                )
            plan.append((clock, closing))
    if problems:
        raise InputError(problems)
    for clock, closing in plan:
        _apply(clock, closing, by, now)
        session.add(clock)
    _move_final_report(incident, session=session)
    session.flush()
    return [clock for clock, _ in plan]


def _apply(clock: IncidentClock, closing: Closing, by: str, now: datetime) -> None:
    clock.status = rules.REPORTED if closing.reporting else rules.NOT_REPORTING
    clock.reported_at = (closing.at or now) if closing.reporting else None
    clock.reference = printable(closing.reference).strip()
    clock.reason = printable(closing.reason).strip()
    clock.decided_by = by
    clock.recorded_at = now


def _move_final_report(incident: Incident, *, session: Session) -> None:
    clocks = {c.kind: c for c in clocks_of(incident.id, session=session)}
    notification, final = clocks.get(rules.NIS2_NOTIFICATION), clocks.get(rules.NIS2_FINAL)
    if notification and final and final.status == rules.OPEN:
        final.deadline = rules.final_report_deadline(
            incident.aware_at, notification.reported_at, org_timezone(session=session)
        )
        session.add(final)


def reassess(
    incident: Incident, *, personal_data: bool | None, nis2: bool | None, session: Session
) -> list[IncidentClock]:
    """Mark an incident as involving personal data or significant under NIS2 later; opens the
    missing clocks, still counted from the time of awareness. Returns the clocks opened."""
    if personal_data:
        incident.personal_data = True
    if nis2:
        incident.nis2_significant = True
    existing = {c.kind for c in clocks_of(incident.id, session=session)}
    opened = []
    for kind, deadline in rules.initial_deadlines(
        incident.aware_at,
        incident.personal_data,
        incident.nis2_significant,
        org_timezone(session=session),
    ).items():
        if kind not in existing:
            opened.append(IncidentClock(incident_id=incident.id, kind=kind, deadline=deadline))
    session.add(incident)
    session.add_all(opened)
    session.flush()
    return opened
