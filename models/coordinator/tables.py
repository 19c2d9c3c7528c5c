"""Tables of the coordinator's web view: sign-in links, sign-in attempts, sessions, the audit log.

Secrets are never stored: a sign-in link and a session cookie hold a random value, and the store
keeps its SHA-256 (a leaked store copy does not sign anyone in).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel


class SignInLink(SQLModel, table=True):
    """A mailed one-time sign-in link: short-lived, used at most once."""

    token_hash: str = Field(primary_key=True, max_length=64)
    person_id: str = Field(foreign_key="person.id", index=True, max_length=128)
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None


class SignInAttempt(SQLModel, table=True):
    """One request for a sign-in link, known address or not (for the rate limit)."""

    id: int | None = Field(default=None, primary_key=True)
    #: "address:<sha256 of the lower-cased address>" or "client:<ip address>"
    key: str = Field(max_length=80, index=True)
    at: datetime = Field(index=True)


class CoordinatorSession(SQLModel, table=True):
    """A signed-in browser: the cookie's hash, whose it is, and when it was last used."""

    token_hash: str = Field(primary_key=True, max_length=64)
    person_id: str = Field(foreign_key="person.id", index=True, max_length=128)
    #: "link" (mailed link) or "oidc"
    method: str = Field(default="link", max_length=16)
    created_at: datetime
    last_seen_at: datetime


class AuditEntry(SQLModel, table=True):
    """One change to the organisation made in the web view: who, when, what, before → after."""

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(index=True)
    actor_id: str = Field(max_length=128)
    #: person-add | person-edit | person-deactivate | person-activate | role-add | role-remove |
    #: contact-replace
    action: str = Field(max_length=32)
    #: what was changed: a person id, or ROLE@SCOPE for a contact replacement
    target: str = Field(max_length=200)
    before: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    after: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
