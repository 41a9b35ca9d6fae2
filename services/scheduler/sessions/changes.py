"""Changing, moving and cancelling a session: coordinators, or the session's own ambassadors.

A move (time, room, venue) passes the same checks as a new session
(sessions.planning), leaving the session itself out of the clash check, and
raises its revision by one, so the notifier can tell an invite's newest
version (SEQUENCE). Its details change without telling attendees
(sessions.details); one request may do both, the move first.

A venue whose place changes (its public name, address, city, neighbourhood or
when its address is shown) re-announces its upcoming sessions the same way:
same time and room, a new revision, a ``scheduling.session.rescheduled`` with
the new place, so attendees are told and their invites updated.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC

from sqlmodel import Session

from scheduler.errors import EndsBeforeStart, NothingToChange
from scheduler.sessions import details, planning, repository
from scheduler.sessions.models import InfoSession, SessionStatus
from scheduler.sessions.schemas import SessionCancel, SessionPublic, SessionUpdate
from scheduler.sessions.service import PRODUCER, planned_view, public_view, published, runnable
from scheduler.settings import SchedulerSettings
from scheduler.venues import disclosure
from scheduler.venues import repository as venues
from scheduler.venues.models import Venue
from shared import audit, outbox
from shared.auth import Principal
from shared.events import SessionCancelled, SessionRescheduled, utcnow

__all__ = ["Changed", "change", "audited", "cancel", "reannounce_at_venue"]


@dataclass(frozen=True)
class Changed:
    """What one change did: the session as it now is, whether it moved, the names of the details changed."""

    session: SessionPublic
    moved: bool
    details: list[str]


def change(db: Session, session_id: str, data: SessionUpdate, settings: SchedulerSettings, user: Principal) -> Changed:
    """Move the session, change its details, or both at once: the move first, with all its checks."""
    info = runnable(db, session_id, user, what="changes")  # locked: seat counts and capacity stay exact
    venue = _move(db, info, data, settings) if data.moves else None
    changed = details.change_details(db, info, data)
    if "public_titles" in changed or ("languages" in changed and info.public_titles):
        _republish(db, info, venue)
    if venue is None:
        return Changed(public_view(db, info, _zone(db, info), settings), moved=False, details=changed)
    return Changed(planned_view(db, info, venue.timezone, settings), moved=True, details=changed)


def audited(db: Session, user: Principal, changed: Changed) -> Changed:
    """``changed`` recorded in the audit log, the same way from the API and from the staff pages."""
    session = changed.session
    if changed.moved:
        audit.record(db, user, "session.rescheduled", session_id=session.id, revision=session.revision)
    if changed.details:
        audit.record(db, user, "session.changed", session_id=session.id, fields=changed.details)
    return changed


def _move(db: Session, info: InfoSession, data: SessionUpdate, settings: SchedulerSettings) -> Venue:
    """Check and make the move ``data`` asks for, announced; the venue it is now at.

    The room must hold the capacity the session will have (``data``'s, when it gives one)."""
    venue_id = data.venue_id or info.venue_id
    room_id = data.room_id or info.room_id
    starts_at = (data.starts_at or info.starts_at).astimezone(UTC)
    ends_at = (data.ends_at or info.ends_at).astimezone(UTC)
    if ends_at <= starts_at:
        raise EndsBeforeStart(f"ends_at ({ends_at.isoformat()}) must be after starts_at ({starts_at.isoformat()}).")
    if (venue_id, room_id, starts_at, ends_at) == (info.venue_id, info.room_id, info.starts_at, info.ends_at):
        raise NothingToChange("The session already has this time, room and venue; nothing was changed.")
    venue, room = planning.place(db, venue_id, room_id, hold_venue=venue_id != info.venue_id)
    ambassadors = repository.ambassadors_of(db, info.id)
    capacity = info.capacity if data.capacity is None else data.capacity
    plan = planning.Plan(venue, room, starts_at, ends_at, capacity, ambassadors)
    planning.check_plan(db, plan, settings, exclude_id=info.id)
    info.venue_id, info.room_id, info.starts_at, info.ends_at = venue.id, room.id, starts_at, ends_at
    _announce(db, info, venue)
    return venue


def cancel(
    db: Session, session_id: str, data: SessionCancel, settings: SchedulerSettings, user: Principal
) -> SessionPublic:
    """Call the session off; its bookings stay as they were, the notifier tells their holders."""
    info: InfoSession = runnable(db, session_id, user, what="changes")
    info.status = SessionStatus.CANCELLED
    info.cancel_reason = data.reason_code
    db.add(info)
    db.flush()
    outbox.record(db, SessionCancelled(session_id=info.id, reason_code=data.reason_code), producer=PRODUCER)
    return public_view(db, info, _zone(db, info), settings)


def reannounce_at_venue(db: Session, venue: Venue) -> int:
    """Tell the attendees of ``venue``'s upcoming sessions where it now is; how many sessions were re-announced."""
    upcoming = repository.upcoming_at_venue(db, venue.id, after=utcnow())
    for info in upcoming:
        _announce(db, info, venue)
    return len(upcoming)


def _announce(db: Session, info: InfoSession, venue: Venue) -> None:
    """A new revision of ``info`` (already changed), recorded as ``scheduling.session.rescheduled``."""
    info.revision += 1
    db.add(info)
    db.flush()
    outbox.record(
        db,
        SessionRescheduled(
            session_id=info.id,
            revision=info.revision,
            **disclosure.event_fields(venue, info.starts_at, info.ends_at),
        ),
        producer=PRODUCER,
    )


def _republish(db: Session, info: InfoSession, venue: Venue | None) -> None:
    """``scheduling.session.published`` again, with the new titles per language (sessions.details)."""
    venue = venue or venues.get_venue(db, info.venue_id)
    assert venue is not None
    event = published(info, venue, repository.ambassadors_of(db, info.id))
    outbox.record(db, event, producer=PRODUCER)


def _zone(db: Session, info: InfoSession) -> str:
    venue = venues.get_venue(db, info.venue_id)
    assert venue is not None
    return venue.timezone
