"""Incidents and clocks as plain rows for the CLI, the portal and JSON (times in local time)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from models.incidents import clocks as rules
from models.incidents.register import (
    CATEGORIES,
    EQUIPMENT_TYPES,
    SUBKINDS,
    Incident,
    clocks_of,
    org_timezone,
)
from models.org import Board, Unit

STATUS = {
    "sv": {
        rules.OPEN: "öppen",
        rules.REPORTED: "rapporterad",
        rules.NOT_REPORTING: "rapporteras ej",
    },
    "en": {rules.OPEN: "open", rules.REPORTED: "reported", rules.NOT_REPORTING: "not reported"},
}


def category_text(incident: Incident, lang: str = "sv") -> str:
    """'IT-säkerhet: Lyckade phishingattacker', 'Fysisk säkerhet: … (Chromebooks)'."""
    text = CATEGORIES[incident.category][lang]
    kind = SUBKINDS.get(incident.category, {}).get(incident.subkind)
    if kind:
        text += f": {kind[lang]}"
    if incident.equipment in EQUIPMENT_TYPES:
        text += f" ({EQUIPMENT_TYPES[incident.equipment][lang]})"
    return text


def incident_row(incident: Incident, tz: str, names: dict[str, str] | None = None) -> dict:
    """The incident's own fields, display-ready (`names`: unit/board id → name for display)."""
    names = names or {}
    return {
        "id": incident.id,
        "kategori": category_text(incident),
        "category": incident.category,
        "kind": incident.subkind,
        "equipment": incident.equipment,
        "enhet": names.get(incident.unit_id, incident.unit_id),
        "namnd": names.get(incident.board_id, incident.board_id),
        "kannedom": rules.local(incident.aware_at, tz),
        "registrerad": rules.local(incident.registered_at, tz),
        "pu": "ja" if incident.personal_data else "nej",
        "nis2": "ja" if incident.nis2_significant else "nej",
        "beskrivning": incident.description,
    }


def clock_rows(
    incident: Incident, now: datetime, tz: str, *, session: Session, lang: str = "sv"
) -> list[dict]:
    """One row per clock: label, local deadline, time left, status, reference or reason."""
    rows = []
    for clock in clocks_of(incident.id, session=session):
        done = clock.status != rules.OPEN
        note = clock.reference or clock.reason
        if clock.status == rules.REPORTED and clock.reported_at:
            note = f"{clock.reference} ({rules.local(clock.reported_at, tz)})"
        rows.append(
            {
                "clock": rules.CLOCK_LABELS[clock.kind][lang],
                "deadline": rules.local(clock.deadline, tz),
                "left": "" if done else rules.remaining(clock.deadline, now, lang),
                "status": STATUS[lang][clock.status],
                "note": note,
            }
        )
    return rows


def incident_dicts(
    now: datetime, *, year: int | None = None, open_only: bool = False, session: Session
) -> list[dict]:
    """Incidents for `incident list`, newest awareness first, with their next open deadline."""
    tz = org_timezone(session=session)
    out = []
    for incident in session.exec(select(Incident).order_by(Incident.aware_at.desc())).all():
        if year and incident.aware_at.astimezone(ZoneInfo(tz)).year != year:
            continue
        open_clocks = [c for c in clocks_of(incident.id, session=session) if c.status == rules.OPEN]
        if open_only and not open_clocks:
            continue
        row = incident_row(incident, tz)
        nearest = min(open_clocks, key=lambda c: c.deadline, default=None)
        row["nasta_frist"] = (
            f"{rules.CLOCK_LABELS[nearest.kind]['sv']} {rules.local(nearest.deadline, tz)} "
            f"({rules.remaining(nearest.deadline, now)})"
            if nearest
            else ""
        )
        out.append(row)
    return out


def names(*, session: Session) -> dict[str, str]:
    """Unit and board id → name (ids of units and boards never collide in practice; units win)."""
    boards = {b.id: b.name for b in session.exec(select(Board)).all()}
    return {**boards, **{u.id: u.name for u in session.exec(select(Unit)).all()}}


def unit_choices(*, session: Session) -> list[tuple[str, str, str]]:
    """(unit id, unit name, board name) of the active units, for forms and prompts."""
    boards = {b.id: b.name for b in session.exec(select(Board)).all()}
    units = session.exec(select(Unit).where(Unit.active).order_by(Unit.name)).all()
    return [(u.id, u.name, boards.get(u.board_id, u.board_id)) for u in units]
