"""The overview for whom a late assignment is escalated to (a chef, a coordinator, the DPO).

    GET  /a/<token>              (models.roles.OVERSEE) what is late and since when, who is
                                 responsible with their e-mail addresses, the answer so far
                                 (read-only) and its versions
    GET  /a/<token>/svara        the form, to answer in the contact's place (portal.app); the
                                 version is recorded `on_behalf`
    POST /a/<token>/ny-kontakt   name a new contact: the coordinators are told (a ledger message,
                                 delivered at once); the organisation file stays the source of
                                 who holds which role
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlmodel import Session, select

from models import clock, db, roles
from models.cycle.responses import ResponseVersion
from models.notify import kinds, ledger
from models.notify.plan import assignment_link
from portal import pages, receipts
from portal.context import AccessDenied, Opened, open_link, people_named
from portal.posting import checked_form, csrf_for
from portal.texts import text
from portal.views import answer_sections

router = APIRouter()
CONTACT_PROPOSAL = kinds.CONTACT_PROPOSAL
ROLE_NAMES = {
    "sv": {roles.CHEF: "chef", roles.COORDINATOR: "samordnare", roles.DPO: "dataskyddsombud",
           roles.IT_SECURITY: "IT-säkerhetsansvarig"},
    "en": {roles.CHEF: "head of department", roles.COORDINATOR: "coordinator",
           roles.DPO: "data protection officer", roles.IT_SECURITY: "IT security officer"},
}


def versions(assignment_id: int, session: Session) -> list[ResponseVersion]:
    """Every submitted version of an assignment, newest first."""
    query = (select(ResponseVersion).where(ResponseVersion.assignment_id == assignment_id)
             .order_by(ResponseVersion.version.desc()))
    return list(session.exec(query))


def overview_page(opened: Opened, token: str, session: Session, *, now: datetime):
    """The overview of one assignment for someone it is escalated to."""
    lang = opened.lang
    history = versions(opened.assignment.id, session)
    names = {p.id: p.name for p in _submitters(history, opened, session)}
    values = opened.latest.values if opened.latest else None
    step_title = opened.step.title_en if lang == "en" else opened.step.title_sv
    return pages.page(
        "overview.html", lang, title=text("overview_title", lang, step=step_title),
        opened=opened, token=token, csrf=csrf_for(token), step_title=step_title,
        late=opened.late(now), late_since=(opened.step.due + timedelta(days=1)).isoformat(),
        role=ROLE_NAMES[lang].get(_role_of(opened, session), ROLE_NAMES[lang][roles.CHEF]),
        answers=answer_sections(opened.form, values, lang) if values else None,
        history=[(v, names.get(v.submitted_by, v.submitted_by)) for v in history],
    )


def _submitters(history, opened: Opened, session: Session):
    """Names of everyone who submitted a version (they may have left the role since)."""
    return people_named(sorted({v.submitted_by for v in history}), session) + opened.responsible


def _role_of(opened: Opened, session: Session) -> str:
    directory = roles.load_directory(session=session, only=roles.ORG_ROLES + (roles.CHEF,))
    for role in (roles.COORDINATOR, roles.DPO, roles.IT_SECURITY):
        if opened.person.id in directory.held(role, [""]):
            return role
    return roles.CHEF


@router.post("/a/{token}/ny-kontakt", response_class=HTMLResponse)
async def propose_contact(token: str, request: Request):
    posted = await checked_form(request, token)
    name = str(posted.get("name") or "").strip()[:200]
    email = str(posted.get("email") or "").strip()[:254]
    with db.session() as s:
        opened = open_link(token, session=s, now=clock.now())
        if opened.access != roles.OVERSEE:
            raise AccessDenied("only whom the assignment is escalated to may name a new contact")
        lang = opened.lang
        if not name or "@" not in email.strip("@") or any(c.isspace() for c in email):
            body = [text("proposal_bad", lang)]
            return pages.message_page(lang, "new_contact", body, 422)
        told = tell_coordinators(opened, name, email, session=s)
    who = ", ".join(p.name for p in told) or text("contact_fallback", lang)
    body = [text("proposal_sent", lang, who=who, name=name, scope=opened.scope_name)]
    response = pages.message_page(lang, "proposal_sent", body, 200)
    return receipts.with_delivery(response, [p.id for p in told])


def tell_coordinators(opened: Opened, name: str, email: str, *, session: Session) -> list:
    """Record the proposal for every coordinator (committed); returns the coordinators."""
    told = roles.coordinators(session=session)
    step = opened.step
    note = {
        "sv": f"{opened.person.name} föreslår {name} <{email}> som ny kontakt "
              f"({step.audience_role}) för {opened.scope_name}. Lägg in personen i "
              "organisationsfilen och kör arshjul org import.",
        "en": f"{opened.person.name} proposes {name} <{email}> as the new contact "
              f"({step.audience_role}) for {opened.scope_name}. Add the person to the "
              "organisation file and run arshjul org import.",
    }
    content = ledger.Content(
        title={"sv": f"Ny kontakt föreslås: {step.title_sv}",
               "en": f"New contact proposed: {step.title_en}"},
        due=step.due.isoformat(), scope=opened.scope_name, note=note,
        link=assignment_link(opened.assignment.id, step.due, str(opened.tz)))
    stamp = clock.now()
    # one proposal of one address per proposer and day: a second press does not mail again
    proposed = hashlib.sha256(email.casefold().encode()).hexdigest()[:12]
    occasion = f"{stamp.astimezone(opened.tz):%Y-%m-%d}:{proposed}"
    items = [ledger.LedgerItem(
        kind=CONTACT_PROPOSAL, subject=f"assignment:{opened.assignment.id}:{opened.person.id}",
        occasion=occasion, recipient_id=p.id,
        payload=content.model_dump(), step_instance_id=step.id,
        assignment_id=opened.assignment.id) for p in told]
    ledger.enqueue(items, session=session, now=stamp)
    return told
