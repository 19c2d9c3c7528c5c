"""Responses to questionnaire assignments: one working draft and every submitted version.

A draft is the raw input (see `models.cycle.answers`) of whoever last saved it, so nothing typed is lost.
Each submission appends a `ResponseVersion` with the checked values, who (person id) and when; the
newest version is the answer. The first submission also sets `Assignment.submitted_at` and
`submitted_by`, so status, reminders and escalations see it at once; later versions (edits before
the step closes) are kept but do not move that time (a correction does not make an answer late).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import JSON, Column, UniqueConstraint, func, update
from sqlmodel import Field, Session, SQLModel, select

from models.cycle.tables import Assignment


class ResponseDraft(SQLModel, table=True):
    """The working copy of one assignment's answers (raw input, possibly incomplete)."""

    __tablename__ = "response_draft"

    assignment_id: int = Field(foreign_key="assignment.id", primary_key=True)
    form: str = Field(max_length=64)
    raw: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    saved_at: datetime
    saved_by: str = Field(max_length=64)


class ResponseVersion(SQLModel, table=True):
    """One submitted version of an assignment's answers; versions are never changed or deleted."""

    __tablename__ = "response_version"
    __table_args__ = (UniqueConstraint("assignment_id", "version", name="uq_response_version"),)

    id: int | None = Field(default=None, primary_key=True)
    assignment_id: int = Field(foreign_key="assignment.id", index=True)
    version: int
    form: str = Field(max_length=64)
    values: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    submitted_at: datetime
    submitted_by: str = Field(max_length=64)
    #: answered by someone the assignment was escalated to, in the responsible contact's place.
    on_behalf: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})


def get_draft(assignment_id: int, *, session: Session) -> ResponseDraft | None:
    """The working draft of an assignment, if any."""
    return session.get(ResponseDraft, assignment_id)


def save_draft(
    assignment_id: int,
    form: str,
    raw: dict[str, Any],
    person_id: str,
    *,
    session: Session,
    now: datetime,
) -> ResponseDraft:
    """Store `raw` as the assignment's draft (replacing the previous one)."""
    draft = session.get(ResponseDraft, assignment_id)
    if draft is None:
        draft = ResponseDraft(assignment_id=assignment_id, form=form, saved_at=now, saved_by="")
    draft.form, draft.raw, draft.saved_at, draft.saved_by = form, dict(raw), now, person_id
    session.add(draft)
    session.flush()
    return draft


def latest_version(assignment_id: int, *, session: Session) -> ResponseVersion | None:
    """The newest submitted version of an assignment, if any."""
    stmt = (
        select(ResponseVersion)
        .where(ResponseVersion.assignment_id == assignment_id)
        .order_by(ResponseVersion.version.desc())
        .limit(1)
    )
    return session.exec(stmt).first()


def version_count(assignment_id: int, *, session: Session) -> int:
    """How many versions an assignment has."""
    stmt = select(func.count()).where(ResponseVersion.assignment_id == assignment_id)
    return int(session.exec(stmt).one())


def submit(
    assignment: Assignment,
    form: str,
    values: dict[str, Any],
    person_id: str,
    *,
    session: Session,
    now: datetime,
    on_behalf: bool = False,
) -> ResponseVersion:
    """Append a version with `values`, clear the draft and mark the assignment submitted
    (`on_behalf`: by someone it was escalated to, in the contact's place).

    Concurrent submissions of one assignment queue on its row lock. Where the store cannot hold
    the lock from the first read (SQLite's snapshot went stale: "database is locked"), or two
    still pick the same number (the unique (assignment, version) pair), the transaction fails
    whole and the caller retries.
    """
    # Take the assignment's row lock first (a no-op UPDATE): concurrent submitters of the same
    # assignment then queue here and each reads the version number the previous one wrote.
    session.execute(
        update(Assignment)
        .where(Assignment.id == assignment.id)
        .values(submitted_at=Assignment.submitted_at)
    )
    latest = latest_version(assignment.id, session=session)
    version = ResponseVersion(
        assignment_id=assignment.id,
        version=(latest.version + 1) if latest else 1,
        form=form,
        values=values,
        submitted_at=now,
        submitted_by=person_id,
        on_behalf=on_behalf,
    )
    session.add(version)
    draft = session.get(ResponseDraft, assignment.id)
    if draft is not None:
        session.delete(draft)
    if assignment.submitted_at is None:
        assignment.submitted_at, assignment.submitted_by = now, person_id
        session.add(assignment)
    session.flush()
    return version


def latest_versions(assignment_ids: list[int], *, session: Session) -> dict[int, ResponseVersion]:
    """The newest version of each of `assignment_ids` that has one."""
    if not assignment_ids:
        return {}
    newest = (
        select(ResponseVersion.assignment_id, func.max(ResponseVersion.version).label("v"))
        .where(ResponseVersion.assignment_id.in_(assignment_ids))
        .group_by(ResponseVersion.assignment_id)
        .subquery()
    )
    stmt = select(ResponseVersion).join(
        newest,
        (ResponseVersion.assignment_id == newest.c.assignment_id)
        & (ResponseVersion.version == newest.c.v),
    )
    return {v.assignment_id: v for v in session.exec(stmt)}
