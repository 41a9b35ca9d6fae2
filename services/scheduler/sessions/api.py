"""HTTP routes for sessions, check-ins and completion; booking is in scheduler.bookings (public)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status
from fastapi.concurrency import run_in_threadpool

from scheduler.deps import Planner, SettingsDep, Staff
from scheduler.sessions import changes, public, reopening, series, service
from scheduler.sessions.filters import PublicFilters, SessionFilters
from scheduler.sessions.public import PublicSession
from scheduler.sessions.schemas import (
    CheckInCreate,
    CheckInResult,
    Completion,
    SeriesCreate,
    SeriesCreated,
    SessionCancel,
    SessionCreate,
    SessionPublic,
    SessionUpdate,
)
from shared import audit
from shared.unit_of_work import SessionDep

router = APIRouter(prefix="/api/v1/sessions", tags=["sessions"])
public_router = APIRouter(prefix="/api/v1/public/sessions", tags=["public"])


@router.post("", status_code=status.HTTP_201_CREATED)
def create_session(data: SessionCreate, db: SessionDep, settings: SettingsDep, user: Planner) -> SessionPublic:
    created = service.create_session(db, data, settings, user)
    audit.record(db, user, "session.created", session_id=created.id)
    return created


@router.post("/series", status_code=status.HTTP_201_CREATED)
def create_series(data: SeriesCreate, db: SessionDep, settings: SettingsDep, user: Planner) -> SeriesCreated:
    """One session per date of ``rrule``; dates that clash or fall outside opening hours are listed in
    ``skipped`` with the reason, the others created. 409 NothingPlanned when no date could be planned."""
    planned = series.create_series(db, data, settings, user)
    audit.record(db, user, "session.series_created", series_id=planned.series_id, sessions=len(planned.created))
    return planned


@router.get("")
def list_sessions(
    db: SessionDep, settings: SettingsDep, user: Staff, filters: Annotated[SessionFilters, Query()]
) -> list[SessionPublic]:
    """Coordinators see every session; ambassadors the ones they run; provider staff their organisation's.

    Filter by language, city, start date range (from, to), audience, topic, public and integration_phase."""
    return service.list_sessions(db, settings, user, filters)


@public_router.get("")
async def public_listing(
    db: SessionDep, settings: SettingsDep, filters: Annotated[PublicFilters, Query()]
) -> list[PublicSession]:
    """No account needed: upcoming sessions marked public, with only what is safe to show
    (scheduler.sessions.public says what and why). Filter by language, city and dates."""
    return await run_in_threadpool(public.public_listing, db, filters, settings)


@router.get("/{session_id}")
def get_session(session_id: str, db: SessionDep, settings: SettingsDep, user: Staff) -> SessionPublic:
    return service.get_session(db, session_id, settings, user)


@router.patch("/{session_id}")
def change_session(
    session_id: str, data: SessionUpdate, db: SessionDep, settings: SettingsDep, user: Staff
) -> SessionPublic:
    """Move the session, change its details, or both at once (the move first); what is left out stays.
    Only a published session changes (409 SessionNotOpen otherwise).

    A move (starts_at, ends_at, room_id, venue_id) is checked like a new session, raises the revision and
    emits scheduling.session.rescheduled: attendees are told. 422 NothingToChange if it is where it is.

    Details (public, capacity, internal_title, languages, audience, topics, interpreter_present,
    integration_phase, provider_id) change without an event or a new revision: attendees are not told.
    null clears integration_phase or provider_id and is refused for the others; a provider_id must
    exist (404 ProviderNotFound). capacity stays within the room (422 CapacityTooLarge) and at or above
    the seats taken (409 CapacityBelowSeatsTaken); raised, it seats the waitlist at once
    (scheduling.booking.confirmed with promoted=true).

    public_title cannot change (422): attendees have it in their calendars and messages. To give a
    session another public title, cancel it and plan it anew."""
    changed = changes.audited(db, user, changes.change(db, session_id, data, settings, user))
    return changed.session


@router.post("/{session_id}/cancel")
def cancel(session_id: str, data: SessionCancel, db: SessionDep, settings: SettingsDep, user: Staff) -> SessionPublic:
    """Call the session off with a reason code; emits scheduling.session.cancelled."""
    cancelled = changes.cancel(db, session_id, data, settings, user)
    audit.record(db, user, "session.cancelled", session_id=session_id, reason_code=data.reason_code)
    return cancelled


@router.post("/{session_id}/check-ins")
def check_in(session_id: str, data: CheckInCreate, db: SessionDep, user: Staff, settings: SettingsDep) -> CheckInResult:
    result = service.check_in(db, session_id, data, user)
    booking = audit.booking_ref(data.booking_code, settings.audit_hash_secret) if data.booking_code else None
    audit.record(db, user, "session.checked_in", session_id=session_id, booking=booking, walk_ins=data.walk_ins)
    return result


@router.post("/{session_id}/complete")
def complete(session_id: str, db: SessionDep, user: Staff, settings: SettingsDep) -> Completion:
    """Close a session that has started (409 SessionNotStarted before, naming the start); emits
    scheduling.session.completed with the attendance, and the feedback service mints the cards."""
    completion = service.complete(db, session_id, user, settings)
    audit.record(db, user, "session.completed", session_id=session_id, attendance=completion.attendance)
    return completion


@router.post("/{session_id}/reopen")
def reopen(session_id: str, db: SessionDep, user: Staff, settings: SettingsDep) -> SessionPublic:
    """Undo a completion within BRUG_COMPLETION_UNDO_MINUTES of it (409 CompletionNotUndoable after, or
    for a session not completed): it takes check-ins again and is completed anew; emits
    scheduling.session.reopened, and the feedback service withdraws the cards and links not yet used."""
    reopened = reopening.reopen(db, session_id, user, settings)
    audit.record(db, user, "session.reopened", session_id=session_id)
    return reopened
