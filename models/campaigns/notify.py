"""What campaigns put in the notification ledger (models/notify/ledger.py): reminders to people not
done, progress and lists of who is missing to each unit's chef, the IT list at the deadline.

Keys: kind `campaign-reminder` or `escalation`, subject `campaign:ID` (people, IT) or
`campaign:ID:unit:UNIT` (chefs), occasion `remind:DATE`, `report:DATE`, `escalate:DATE`,
`it-list`. Each occasion is recorded once per recipient; the ledger delivers it once.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlmodel import Session, select

from models import links, organisation, roles
from models.campaigns.directory import aware_utc
from models.campaigns.progress import missing_people, unit_progress
from models.campaigns.rules import deadline_passed, due_occasion, is_send_day, local_now
from models.campaigns.tables import PASSWORD_RESET, Campaign, CampaignMember
from models.notify import kinds, ledger
from models.org import Person, Unit

REMINDER = kinds.CAMPAIGN_REMINDER
ESCALATION = kinds.ESCALATION
NAMES_SHOWN = 50
PURPOSE = {
    PASSWORD_RESET: {"sv": "Byt lösenordet till ditt konto före sista dagen. Påminnelserna upphör "
                           "när bytet syns i katalogen.",
                     "en": "Change the password of your account before the deadline. The "
                           "reminders stop once the change shows in the directory."},
    "training": {"sv": "Genomför den årliga utbildningen i informationssäkerhet. Påminnelserna "
                       "upphör när utbildningsplattformen har registrerat att du är klar.",
                 "en": "Complete the yearly information security training. The reminders stop "
                       "once the learning platform has recorded that you are done."},
}


def holders(role: str, scope_id: str, *, session: Session) -> list[str]:
    """Active people holding `role` for `scope_id`; the coordinators when nobody does."""
    return (roles.holders(role, scope_id, session=session)
            or roles.holders(roles.COORDINATOR, session=session))


def _title(c: Campaign) -> dict:
    return {"sv": c.title_sv, "en": c.title_en}


def campaign_link(c: Campaign, unit_id: str | None = ..., *, session: Session) -> dict:
    """The `link` of a campaign message: the member's own progress page, or with `unit_id` the
    unit's completion; valid while the campaign can still be completed."""
    tz = organisation.info(session=session).timezone
    until = links.valid_until(c.deadline, tz)
    if unit_id is ...:
        return {"kind": links.CAMPAIGN, "subject": str(c.id), "until": until}
    return {"kind": links.CAMPAIGN_UNIT, "subject": f"{c.id}:{unit_id or '-'}", "until": until}


def _item(c: Campaign, kind: str, subject: str, occasion: str, pid: str,
          **content) -> ledger.LedgerItem:
    payload = ledger.Content(title=_title(c), due=c.deadline.isoformat(), **content).model_dump()
    return ledger.LedgerItem(kind=kind, subject=subject, occasion=occasion, recipient_id=pid,
                             payload=payload, step_instance_id=c.step_instance_id)


def reminder_items(c: Campaign, day: str, *, session: Session) -> list[ledger.LedgerItem]:
    """One reminder per member still to do it (who has an address to send it to)."""
    query = select(CampaignMember.person_id).join(
        Person, Person.id == CampaignMember.person_id).where(
        CampaignMember.campaign_id == c.id, CampaignMember.done_at.is_(None),
        CampaignMember.left_at.is_(None), Person.email != "")
    purpose = PURPOSE.get(c.kind, PURPOSE["training"])
    link = campaign_link(c, session=session)
    return [_item(c, REMINDER, f"campaign:{c.id}", f"remind:{day}", pid, purpose=purpose,
                  url=c.options.get("url"), link=link) for pid in session.exec(query)]


def _unit_names(session: Session) -> dict[str | None, str]:
    names = {u.id: u.name for u in session.exec(select(Unit))}
    names[None] = "Utan enhet"
    return names


def report_items(c: Campaign, day: str, *, session: Session) -> list[ledger.LedgerItem]:
    """Each unit's completion to its chef(s)."""
    names, items = _unit_names(session), []
    directory = roles.load_directory(session=session)
    for row in unit_progress(c, session=session):
        note = {"sv": f"{names.get(row.unit_id, row.unit_id)}: {row.done} av {row.members} klara "
                      f"({row.percent} %).",
                "en": f"{names.get(row.unit_id, row.unit_id)}: {row.done} of {row.members} done "
                      f"({row.percent} %)."}
        link = campaign_link(c, row.unit_id, session=session)
        for pid in roles.unit_chefs(row.unit_id, directory):
            items.append(_item(c, REMINDER, f"campaign:{c.id}:unit:{row.unit_id or '-'}",
                               f"report:{day}", pid, note=note, link=link))
    return items


def escalation_items(c: Campaign, day: str, *, session: Session) -> list[ledger.LedgerItem]:
    """Each unit's list of who is not done to its chef(s)."""
    names, items = _unit_names(session), []
    directory = roles.load_directory(session=session)
    for row in unit_progress(c, session=session):
        if not row.missing:
            continue
        people = missing_people(c, session=session, unit_id=row.unit_id)
        shown = ", ".join(p.name for p in people[:NAMES_SHOWN])
        more = len(people) - NAMES_SHOWN
        tail_sv = f" och {more} till (arshjul campaign status {c.id} --missing)" if more > 0 else ""
        tail_en = f" and {more} more (arshjul campaign status {c.id} --missing)" if more > 0 else ""
        unit = names.get(row.unit_id, row.unit_id)
        note = {"sv": f"{unit}: {row.missing} av {row.members} är inte klara: {shown}{tail_sv}.",
                "en": f"{unit}: {row.missing} of {row.members} are not done: {shown}{tail_en}."}
        link = campaign_link(c, row.unit_id, session=session)
        for pid in roles.unit_chefs(row.unit_id, directory):
            items.append(_item(c, ESCALATION, f"campaign:{c.id}:unit:{row.unit_id or '-'}",
                               f"escalate:{day}", pid, note=note, link=link))
    return items


BUILDERS = {"remind": reminder_items, "report": report_items, "escalate": escalation_items}


def record_due(c: Campaign, *, session: Session, now: datetime, tz: str, send_hour: int) -> Counter:
    """Record in the ledger what is due for `c` at `now` (latest occasion of each type only,
    business days from the send hour). Commits."""
    counts: Counter = Counter()
    now_local = local_now(now, tz)
    if not is_send_day(now_local) or now_local.hour < send_hour:
        return counts
    for kind, build in BUILDERS.items():
        occasion = due_occasion(getattr(c, f"{kind}_on"), now_local, send_hour)
        if occasion is None or c.enqueued.get(kind, "") >= occasion:
            continue
        items = build(c, occasion, session=session)
        for start in range(0, len(items), 5000):
            counts[kind] += ledger.enqueue(items[start:start + 5000], session=session, now=now)
        c.enqueued = {**c.enqueued, kind: occasion}
        session.add(c)
        session.commit()
    return counts


def cancel_moot_reminders(c: Campaign, *, session: Session) -> int:
    """Reminders not yet delivered to people who are done (or left) meanwhile are cancelled."""
    N = ledger.Notification
    query = (select(N.id).join(CampaignMember, (CampaignMember.person_id == N.recipient_id)
                               & (CampaignMember.campaign_id == c.id))
             .where(N.kind == REMINDER, N.subject == f"campaign:{c.id}",
                    N.state.in_([ledger.PENDING, ledger.FAILED]),
                    (CampaignMember.done_at.is_not(None)) | (CampaignMember.left_at.is_not(None))))
    ids = list(session.exec(query))
    ledger.mark_cancelled(ids, "campaign done", session=session)
    return len(ids)


def ready_to_close(c: Campaign, *, now: datetime, tz: str) -> bool:
    """The deadline day is over and every escalation date has been recorded."""
    now_local = local_now(now, tz)
    if not deadline_passed(c.deadline, now_local):
        return False
    last = max(c.escalate_on, default="")
    # a missed escalation date is caught up on the next business day, then the campaign closes
    return not last or c.enqueued.get("escalate", "") >= last


def it_list_item(c: Campaign, count: int, *, session: Session) -> list[ledger.LedgerItem]:
    """The closing message of a password drive to the IT security officer(s)."""
    note = {"sv": f"{count} konton har inte bytt lösenord före {c.deadline}. Listan: "
                  f"arshjul campaign it-list {c.id}.",
            "en": f"{count} accounts did not change password by {c.deadline}. The list: "
                  f"arshjul campaign it-list {c.id}."}
    title = {"sv": "Konton som inte bytt lösenord", "en": "Accounts that did not change password"}
    payload = ledger.Content(title=title, due=c.deadline.isoformat(), note=note).model_dump()
    return [ledger.LedgerItem(kind=ESCALATION, subject=f"campaign:{c.id}", occasion="it-list",
                              recipient_id=pid, payload=payload)
            for pid in holders(roles.IT_SECURITY, "", session=session)]


def close(c: Campaign, *, session: Session, now: datetime) -> int:
    """Close `c`: for a drive, record the IT list message. Returns the number not done."""
    remaining = len(missing_people(c, session=session))
    if c.kind == PASSWORD_RESET:
        ledger.enqueue(it_list_item(c, remaining, session=session), session=session, now=now)
    c.closed_at = aware_utc(now)
    session.add(c)
    session.commit()
    return remaining
