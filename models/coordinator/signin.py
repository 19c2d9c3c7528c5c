"""Sign-in without passwords: one-time links mailed to the address the organisation file has,
rate-limited requests, and sessions with an idle timeout.

A link and a session cookie are 32 random bytes (base64url); the store keeps only their SHA-256.
A link is single-use: redeeming marks it used in the same transaction that starts the session,
with a conditional UPDATE, so two concurrent redemptions of one link start one session at most.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, update
from sqlmodel import Session, select

from models.clock import as_utc
from models.coordinator.tables import CoordinatorSession, SignInAttempt, SignInLink
from models.org import Person, PersonRole
from models.roles import Viewer, viewer_holding, viewer_of
from models.settings import get_settings

#: A session's last-seen time is written at most this often (pages stay read-only otherwise).
TOUCH_EVERY = timedelta(minutes=1)
#: A client address may ask this many times more often than one e-mail address.
CLIENT_FACTOR = 4


def new_secret() -> str:
    """A fresh random value for a link or a cookie."""
    return secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    """What the store keeps of a link or cookie value."""
    return hashlib.sha256(secret.encode("utf-8", "replace")).hexdigest()


@dataclass(frozen=True)
class LinkRequest:
    """The outcome of asking for a link; the page shows the same words whatever it is."""

    limited: bool
    token: str | None = None
    person: Person | None = None


def _window() -> timedelta:
    return timedelta(minutes=get_settings().signin_link_minutes)


def _over_limit(key: str, limit: int, session: Session, now: datetime) -> bool:
    stmt = select(func.count()).where(SignInAttempt.key == key, SignInAttempt.at > now - _window())
    return session.exec(stmt).one() > limit


def request_link(address: str, client: str, *, session: Session, now: datetime) -> LinkRequest:
    """Record a request for a sign-in link and make one if the address may sign in. Commits.

    Every request counts toward the limits, for known and unknown addresses alike, so the limit
    does not tell them apart either.
    """
    address = address.strip().lower()
    limit = get_settings().signin_limit
    keys = {f"address:{digest(address)}": limit, f"client:{client}"[:80]: limit * CLIENT_FACTOR}
    session.add_all(SignInAttempt(key=key, at=now) for key in keys)
    session.flush()
    if any(_over_limit(key, n, session, now) for key, n in keys.items()):
        session.commit()
        return LinkRequest(limited=True)
    person = eligible_person(address, session=session)
    if person is None:
        session.commit()
        return LinkRequest(limited=False)
    token = new_secret()
    session.add(SignInLink(token_hash=digest(token), person_id=person.id, created_at=now,
                           expires_at=now + _window()))
    session.commit()
    return LinkRequest(limited=False, token=token, person=person)


def eligible_person(address: str, *, session: Session) -> Person | None:
    """The active person of the organisation file with this address who may sign in, or None."""
    address = address.strip().lower()
    stmt = select(Person).where(func.lower(Person.email) == address, Person.active,
                                Person.source == "org")
    for person in session.exec(stmt):
        if viewer_of(person.id, session=session) is not None:
            return person
    return None


def link_is_usable(token: str, *, session: Session, now: datetime) -> bool:
    """Whether `token` is an unused sign-in link that has not expired."""
    row = session.get(SignInLink, digest(token))
    return row is not None and row.used_at is None and as_utc(row.expires_at, "UTC") > now


def redeem_link(token: str, replaces: str | None, *, session: Session, now: datetime):
    """Use a sign-in link: returns the new session's cookie value, or None. Commits.

    `replaces` is the cookie the browser came with, if any: that session ends (a fresh value
    every sign-in is what defeats session fixation).
    """
    table = SignInLink.__table__
    used = session.connection().execute(
        update(table)
        .where(table.c.token_hash == digest(token), table.c.used_at.is_(None),
               table.c.expires_at > now)
        .values(used_at=now)
        .returning(table.c.person_id)
    ).first()
    if used is None or viewer_of(used.person_id, session=session) is None:
        session.commit()
        return None
    return start_session(used.person_id, "link", replaces, session=session, now=now)


def start_session(person_id: str, method: str, replaces: str | None, *, session: Session,
                  now: datetime) -> str:
    """Start a session for `person_id` (ending the one `replaces` names); its cookie. Commits."""
    if replaces:
        end_session(replaces, session=session)
    cookie = new_secret()
    session.add(CoordinatorSession(token_hash=digest(cookie), person_id=person_id, method=method,
                                   created_at=now, last_seen_at=now))
    session.commit()
    return cookie


def session_state(cookie: str | None, *, session: Session, now: datetime):
    """(person id, state) of a session cookie, reading only. State: "ok"; "touch" (last used
    over a minute ago: record the use); "expired" (idle too long: end it); "unknown"."""
    row = session.get(CoordinatorSession, digest(cookie)) if cookie else None
    if row is None:
        return None, "unknown"
    idle = now - as_utc(row.last_seen_at, "UTC")
    if idle > timedelta(minutes=get_settings().session_idle_minutes):
        return row.person_id, "expired"
    return row.person_id, "touch" if idle > TOUCH_EVERY else "ok"


def session_state_viewer(cookie: str | None, *, session: Session, now: datetime):
    """session_state and the viewer (viewer_of) in one query, reading only: (person id, state,
    viewer or None). The web view's pages ask this on every request; on PostgreSQL one round
    trip instead of three."""
    if not cookie:
        return None, "unknown", None
    s, p, r = CoordinatorSession, Person, PersonRole
    rows = session.exec(
        select(s.person_id, s.last_seen_at, p.name, p.active, r.role, r.scope_id)
        .join(p, p.id == s.person_id, isouter=True)
        .join(r, r.person_id == s.person_id, isouter=True)
        .where(s.token_hash == digest(cookie))
    ).all()
    if not rows:
        return None, "unknown", None
    person_id, last_seen, name, active = rows[0][:4]
    idle = now - as_utc(last_seen, "UTC")
    if idle > timedelta(minutes=get_settings().session_idle_minutes):
        return person_id, "expired", None
    held = [(role, scope) for *_, role, scope in rows if role is not None]
    found = viewer_holding(person_id, name, held) if active else None
    return person_id, "touch" if idle > TOUCH_EVERY else "ok", found


def touch_session(cookie: str, *, session: Session, now: datetime) -> None:
    """Record that the session was used at `now` (the idle timeout counts from here). Commits."""
    table = CoordinatorSession.__table__
    session.connection().execute(
        update(table).where(table.c.token_hash == digest(cookie)).values(last_seen_at=now))
    session.commit()


def session_viewer(cookie: str | None, *, session: Session, now: datetime) -> Viewer | None:
    """The viewer a session cookie belongs to, or None (unknown, idle too long, or role gone).

    Marks the session used (at most once a minute) and ends it when it has been idle too long;
    pages that read through an autocommit session use session_state and write separately.
    """
    person_id, state = session_state(cookie, session=session, now=now)
    if state == "expired":
        end_session(cookie, session=session)
    if state == "touch":
        touch_session(cookie, session=session, now=now)
    return viewer_of(person_id, session=session) if state in ("ok", "touch") else None


def end_session(cookie: str, *, session: Session) -> None:
    """Sign out: the session row goes, so the cookie opens nothing any more. Commits."""
    session.exec(delete(CoordinatorSession).where(CoordinatorSession.token_hash == digest(cookie)))
    session.commit()
