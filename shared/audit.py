"""The audit log of privileged actions: who did what to which object, and when. Never whose data.

The scheduler and the feedback service each keep one ``audit_log`` table in
their own database (made by their own migrations; the notifier has none: it
has no staff actions). A route that changes something privileged calls
:func:`record` with the open transaction, so the entry commits or rolls back
with the change it describes (pretix's habit)::

    @router.post("/{session_id}/complete")
    def complete(session_id: str, db: SessionDep, user: Staff) -> Completion:
        result = service.complete(db, session_id, user)
        audit.record(db, user, "session.completed", session_id=session_id)
        return result

A privileged *read* (an export) has no write transaction to join; it calls
:func:`record_apart`, which commits the entry on its own before the data is
handed out, so nothing is exported unrecorded.

What an entry holds, and why no more:

- ``actor_id`` and ``actor_role``: the staff account (``None`` and
  ``anonymous`` for a sign-in lock-out, which nobody signed in caused);
- ``action``: a dotted name, ``<object>.<verb in the past tense>``;
- ``targets``: the ids of the objects acted on (session, venue, provider,
  account, comment). A booking is named by :func:`booking_ref`, a keyed hash
  of its code, never by the code an attendee carries on their phone;
- ``at`` (UTC) and the request's correlation id, to find its log lines.

Attendees' personal data (nicknames, phone numbers, e-mail addresses, a
comment's text) never goes in. As a backstop, :func:`record` refuses a
target value with a space, ``@``, ``+`` or other punctuation, or seven digits
or more and nothing else: a careless call passing a number, an address or a
name with a space fails in tests instead of leaking into a table kept for
years (a one-word nickname would pass it: callers pass ids, by design).
A list of them (the names of the fields a change touched) is kept as one
text, each checked on its own and joined by commas.

Coordinators read the log at ``GET /api/v1/audit`` (:func:`audit_router`),
newest first, paged with ``before`` (the ``next_before`` of the last page)
and back with ``after`` (its ``newer_after``),
filtered by actor, action (an exact name, or a prefix ending in ``.``) and
time.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable
from datetime import date, datetime, time
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel
from pydantic import Field as PydanticField
from sqlalchemy import JSON, Column, ColumnElement, Engine, Index
from sqlmodel import Field, Session, SQLModel, col, select
from sqlmodel.sql.expression import SelectOfScalar

from shared.auth import Principal
from shared.context import current_correlation_id
from shared.events import utcnow
from shared.unit_of_work import SessionDep, UnitOfWork

__all__ = [
    "AuditEntry",
    "AuditEntryPublic",
    "AuditPage",
    "record",
    "record_apart",
    "booking_ref",
    "audit_router",
    "AUDIT_TABLE",
    "read_page",
    "actions",
]

AUDIT_TABLE = "audit_log"

#: an action name: lower-case dotted words, e.g. ``session.rescheduled``.
_ACTION = re.compile(r"^[a-z_]+(\.[a-z_]+)+$")
#: a target value: an id, a hash, a role or a count; no spaces or @, so no name, address or number slips in.
_TARGET = re.compile(r"^[A-Za-z0-9_:\-]{1,80}$")
#: digits only and this long: a phone number, not a count (ids are hex or base32 and hold letters).
_PHONE_LIKE = re.compile(r"^[0-9]{7,}$")


class AuditEntry(SQLModel, table=True):
    """One privileged action. Written in the transaction of the action itself."""

    __tablename__ = AUDIT_TABLE
    __table_args__ = (Index("ix_audit_log_action_at", "action", "at"), Index("ix_audit_log_actor_at", "actor_id", "at"))

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    actor_id: str | None = Field(default=None, max_length=64)
    actor_role: str = Field(max_length=20)
    action: str = Field(max_length=60)
    targets: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    correlation_id: str | None = Field(default=None, max_length=64)


def booking_ref(code: str, key: bytes) -> str:
    """How the audit log names a booking: ``hmac:`` and 16 hex digits of HMAC-SHA256(``key``, its code).

    Enough to find the entry again for a code a coordinator holds; not the code itself, which is
    printed in the attendee's messages. Keyed, because a plain SHA-256 of the code is found again by
    anyone with a copy of the log who hashes a code they hold (or every code: they are short), and
    then ties the entry to the person who carries that code. ``key`` lives in the settings, never in
    the database (the scheduler's ``audit_hash_secret``).
    """
    if len(key) < 16:
        raise ValueError("the audit hash key must be at least 16 bytes; it comes from BRUG_AUDIT_HASH_KEY")
    digest = hmac.new(key, code.strip().upper().encode(), hashlib.sha256).hexdigest()
    return "hmac:" + digest[:16]


def _entry(actor: Principal | None, action: str, targets: dict[str, object]) -> AuditEntry:
    if not _ACTION.fullmatch(action):
        raise ValueError(f"audit action {action!r}: use dotted lower-case words, e.g. 'session.cancelled'")
    kept: dict[str, str] = {}
    for key, value in targets.items():
        if value is None:
            continue
        if isinstance(value, list | tuple):
            kept[key] = ",".join(_kept(str(item)) for item in value)
        else:
            kept[key] = _kept(str(value))
    return AuditEntry(
        actor_id=actor.user_id if actor else None,
        actor_role=actor.role if actor else "anonymous",
        action=action,
        targets=kept,
        correlation_id=current_correlation_id(),
    )


def _kept(text: str) -> str:
    """``text`` if it is an id, hash, role or count; else only its hash."""
    if not _TARGET.fullmatch(text) or _PHONE_LIKE.fullmatch(text):
        # not an id, hash or count (a hostile path segment, or a caller's mistake): kept only as a
        # hash, so the action is still logged and nothing personal is, and the request does not fail
        return "sha256:" + hashlib.sha256(text.encode()).hexdigest()[:16]
    return text


def record(db: Session, actor: Principal | None, action: str, **targets: object) -> None:
    """Add an entry to ``db``'s open transaction: it commits (or not) with the action."""
    db.add(_entry(actor, action, targets))


def record_apart(engine: Engine, actor: Principal | None, action: str, **targets: object) -> None:
    """Commit an entry in a transaction of its own (for reads: call before handing the data out)."""
    with UnitOfWork(engine) as db:
        db.add(_entry(actor, action, targets))


class AuditEntryPublic(BaseModel):
    id: int
    at: datetime
    actor_id: str | None
    actor_role: str
    action: str
    targets: dict[str, str]
    correlation_id: str | None


class AuditPage(BaseModel):
    entries: list[AuditEntryPublic]
    next_before: int | None = PydanticField(
        description="Pass as ``before`` for the next (older) page; null on the last page."
    )
    newer_after: int | None = PydanticField(
        default=None, description="Pass as ``after`` for the previous (newer) page; null on the newest page."
    )


def _moment(value: datetime | date | None, *, end: bool) -> datetime | None:
    """A plain date is the whole day (UTC); a time without zone is taken as UTC."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = datetime.combine(value, time.max if end else time.min)
    return value if value.tzinfo is not None else value.replace(tzinfo=utcnow().tzinfo)


def read_page(
    db: Session,
    *,
    actor: str | None = None,
    action: str | None = None,
    start: datetime | date | None = None,
    end: datetime | date | None = None,
    before: int | None = None,
    after: int | None = None,
    limit: int = 50,
) -> AuditPage:
    """Entries newest first, filtered; ``action`` ending in ``.`` matches every action under it.

    ``before`` pages to older entries, ``after`` back to newer ones (the page just newer than that id)."""
    query = _filtered(actor=actor, action=action, start=start, end=end)
    if after is not None:
        newer_than = query.where(col(AuditEntry.id) > after)
        rows = list(db.exec(newer_than.order_by(col(AuditEntry.id)).limit(limit + 1)).all())
        page = rows[:limit][::-1]
        newer, older = len(rows) > limit, bool(page) and _any(db, query, col(AuditEntry.id) < page[-1].id)
    else:
        older_than = query if before is None else query.where(col(AuditEntry.id) < before)
        rows = list(db.exec(older_than.order_by(col(AuditEntry.id).desc()).limit(limit + 1)).all())
        page = rows[:limit]
        older = len(rows) > limit
        newer = before is not None and bool(page) and _any(db, query, col(AuditEntry.id) > page[0].id)
    return AuditPage(
        entries=[AuditEntryPublic.model_validate(row, from_attributes=True) for row in page],
        next_before=page[-1].id if older else None,
        newer_after=page[0].id if newer else None,
    )


def _filtered(
    *, actor: str | None, action: str | None, start: datetime | date | None, end: datetime | date | None
) -> SelectOfScalar[AuditEntry]:
    query = select(AuditEntry)
    if actor is not None:
        query = query.where(AuditEntry.actor_id == actor)
    if action is not None:
        if action.endswith("."):
            query = query.where(col(AuditEntry.action).startswith(action, autoescape=True))
        else:
            query = query.where(AuditEntry.action == action)
    if (since := _moment(start, end=False)) is not None:
        query = query.where(col(AuditEntry.at) >= since)
    if (until := _moment(end, end=True)) is not None:
        query = query.where(col(AuditEntry.at) <= until)
    return query


def _any(db: Session, query: SelectOfScalar[AuditEntry], condition: ColumnElement[bool]) -> bool:
    return db.exec(query.where(condition).limit(1)).first() is not None


def actions(db: Session) -> list[str]:
    """Every action the log holds, in order: the choices of a filter."""
    return sorted(db.exec(select(AuditEntry.action).distinct()).all())


def audit_router(coordinator: Callable[..., Principal]) -> APIRouter:
    """``GET /api/v1/audit`` for ``coordinator`` (the service's coordinator-only dependency)."""
    router = APIRouter(prefix="/api/v1/audit", tags=["audit"])

    @router.get("", dependencies=[Depends(coordinator)])
    def audit_log(
        db: SessionDep,
        actor: Annotated[str | None, Query(max_length=64, description="A staff account id.")] = None,
        action: Annotated[
            str | None, Query(max_length=60, description="An action, or a prefix ending in '.', e.g. 'session.'.")
        ] = None,
        start: Annotated[
            date | datetime | None, Query(alias="from", description="From this time (a date: that day).")
        ] = None,
        end: Annotated[
            date | datetime | None, Query(alias="to", description="Up to this time (a date: that day).")
        ] = None,
        before: Annotated[
            int | None, Query(ge=1, le=2**62, description="The next_before of the previous page.")
        ] = None,
        after: Annotated[
            int | None, Query(ge=0, le=2**62, description="The newer_after of a page: the page newer than it.")
        ] = None,
        limit: Annotated[int, Query(ge=1, le=200)] = 50,
    ) -> AuditPage:
        """Who did what, when: coordinators only. Newest first; no attendee's personal data is ever in it."""
        return read_page(db, actor=actor, action=action, start=start, end=end, before=before, after=after, limit=limit)

    return router
