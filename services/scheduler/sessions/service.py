"""Rules for sessions: create, read, check in, complete; each checks who asks (sessions.access)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session

from scheduler.accounts import repository as accounts
from scheduler.bookings import repository as bookings
from scheduler.bookings.models import BookingStatus
from scheduler.errors import (
    AlreadyCheckedIn,
    BookingNotFound,
    NotAnAmbassador,
    NothingToChange,
    SessionNotFound,
    SessionNotOpen,
)
from scheduler.groups import repository as groups
from scheduler.hours import foresight
from scheduler.providers import service as providers
from scheduler.sessions import access, planning, repository, seats, timing
from scheduler.sessions.filters import SessionFilters
from scheduler.sessions.models import InfoSession, SessionStatus
from scheduler.sessions.schemas import (
    CheckInCreate,
    CheckInResult,
    Completion,
    SessionCreate,
    SessionPublic,
)
from scheduler.settings import SchedulerSettings
from scheduler.venues import disclosure
from scheduler.venues import repository as venues
from scheduler.venues.models import Venue
from shared import outbox
from shared.auth import Principal
from shared.events import Audience, SessionCompleted, SessionPublished

__all__ = [
    "create_session",
    "prepare",
    "insert",
    "published",
    "get_session",
    "list_sessions",
    "page_of_sessions",
    "check_in",
    "uncount_walk_in",
    "complete",
    "existing",
    "runnable",
    "public_view",
    "planned_view",
    "booking_url",
]

PRODUCER = "scheduler"


def create_session(db: Session, data: SessionCreate, settings: SchedulerSettings, user: Principal) -> SessionPublic:
    ambassador_ids = prepare(db, data, user)
    venue, room = planning.place(db, data.venue_id, data.room_id, hold_venue=True)
    plan = planning.Plan(venue, room, data.starts_at, data.ends_at, data.capacity, ambassador_ids)
    planning.check_plan(db, plan, settings)
    info = insert(db, data, plan)
    return planned_view(db, info, venue.timezone, settings)


def prepare(db: Session, data: SessionCreate, user: Principal) -> list[str]:
    """Who runs the session, once checked that they and the provider exist and ``user`` may name them."""
    ambassador_ids = access.ambassadors_for_new_session(user, data.ambassador_ids)
    if data.provider_id is not None:
        providers.active(db, data.provider_id)
    _check_ambassadors(db, ambassador_ids)
    return ambassador_ids


def insert(db: Session, data: SessionCreate, plan: planning.Plan, series_id: str | None = None) -> InfoSession:
    """Store a checked plan with its ambassadors and record ``scheduling.session.published``."""
    fields = data.model_dump(exclude={"ambassador_ids", "rrule", "starts_at", "ends_at"})
    info = InfoSession(**fields, starts_at=plan.starts_at, ends_at=plan.ends_at, series_id=series_id)
    db.add(info)
    db.flush()
    repository.add_ambassadors(db, info.id, plan.ambassador_ids)
    outbox.record(db, published(info, plan.venue, plan.ambassador_ids), producer=PRODUCER)
    return info


def published(info: InfoSession, venue: Venue, ambassador_ids: Sequence[str]) -> SessionPublished:
    """``scheduling.session.published`` for ``info`` as it now is (also when its titles per language change)."""
    return SessionPublished(
        session_id=info.id,
        public_title=info.public_title,
        public_titles=dict(info.public_titles) or None,
        **disclosure.event_fields(venue, info.starts_at, info.ends_at),
        languages=info.languages,
        audience=Audience(info.audience),
        topics=info.topics,
        capacity=info.capacity,
        provider_id=info.provider_id,
        ambassador_ids=list(ambassador_ids),
        interpreter_present=info.interpreter_present,
        integration_phase=info.integration_phase,
    )


def get_session(db: Session, session_id: str, settings: SchedulerSettings, user: Principal) -> SessionPublic:
    info = existing(db, session_id)
    access.ensure_can_read(user, info, repository.ambassadors_of(db, info.id))
    venue = venues.get_venue(db, info.venue_id)
    assert venue is not None
    return public_view(db, info, venue.timezone, settings)


def list_sessions(
    db: Session, settings: SchedulerSettings, user: Principal, filters: SessionFilters | None = None
) -> list[SessionPublic]:
    """The sessions ``user`` may see that match ``filters``: all for a coordinator, their own for the others."""
    found = repository.search(
        db, filters or SessionFilters(), ambassador_id=user.ambassador_id, provider_id=user.provider_id
    )
    zones = {v.id: v.timezone for v in venues.list_venues(db)}
    return [public_view(db, info, zones[info.venue_id], settings) for info in found]


def page_of_sessions(
    db: Session,
    settings: SchedulerSettings,
    user: Principal,
    filters: SessionFilters,
    *,
    ambassador_id: str | None = None,
    provider_id: str | None = None,
    offset: int = 0,
) -> list[SessionPublic]:
    """Like :func:`list_sessions`, also narrowed to one ambassador's or one provider's sessions, from the
    ``offset``-th on (the staff pages' filters and pages). ``user``'s own reach always holds: an ambassador's
    filter cannot name another ambassador, nor provider staff another provider."""
    found = repository.search(
        db,
        filters,
        ambassador_id=user.ambassador_id or ambassador_id,
        provider_id=user.provider_id or provider_id,
        offset=offset,
    )
    zones = {v.id: v.timezone for v in venues.list_venues(db)}
    return [public_view(db, info, zones[info.venue_id], settings) for info in found]


def check_in(db: Session, session_id: str, data: CheckInCreate, user: Principal) -> CheckInResult:
    info = runnable(db, session_id, user)
    if data.booking_code is not None:
        booking = bookings.get_active(db, session_id, data.booking_code)
        if booking is None:
            raise BookingNotFound(f"No active booking {data.booking_code} for this session; check the code.")
        if booking.checked_in_at is not None:
            raise AlreadyCheckedIn(f"Booking {booking.code} is already checked in.")
        bookings.mark_checked_in(db, booking)
    info.walk_ins += data.walk_ins
    db.add(info)
    db.flush()
    return CheckInResult(checked_in=len(bookings.attended_codes(db, session_id)), walk_ins=info.walk_ins)


def uncount_walk_in(db: Session, session_id: str, user: Principal) -> CheckInResult:
    """One walk-in fewer: the door's − button, for a tap too many; never below none."""
    info = runnable(db, session_id, user)
    if info.walk_ins < 1:
        raise NothingToChange("No walk-ins are counted, so there is none to take off.")
    info.walk_ins -= 1
    db.add(info)
    db.flush()
    return CheckInResult(checked_in=len(bookings.attended_codes(db, session_id)), walk_ins=info.walk_ins)


def complete(db: Session, session_id: str, user: Principal, settings: SchedulerSettings) -> Completion:
    """Close the session and report attendance (booking codes only, no names or numbers); only once it
    has started (SessionNotStarted names the start), when attendance can be known.

    The attendance counts checked-in bookings, walk-ins and the people groups brought."""
    info = runnable(db, session_id, user)
    now = settings.clock.now()
    timing.ensure_started(info.starts_at, _zone_of(db, info), now)
    codes = bookings.attended_codes(db, session_id)
    group_attendees = groups.present(db, session_id)
    info.status, info.completed_at = SessionStatus.COMPLETED, now
    db.add(info)
    attendance = len(codes) + info.walk_ins + group_attendees
    outbox.record(
        db,
        SessionCompleted(
            session_id=info.id,
            attendance=attendance,
            walk_ins=info.walk_ins,
            attended_booking_codes=codes,
            provider_id=info.provider_id,
            languages=info.languages,
            audience=Audience(info.audience),
            topics=info.topics,
            ambassador_ids=repository.ambassadors_of(db, info.id),
            interpreter_present=info.interpreter_present,
            integration_phase=info.integration_phase,
        ),
        producer=PRODUCER,
    )
    return Completion(
        session_id=info.id,
        attendance=attendance,
        walk_ins=info.walk_ins,
        group_attendees=group_attendees,
        status=info.status,
    )


def existing(db: Session, session_id: str) -> InfoSession:
    info = repository.get(db, session_id)
    if info is None:
        raise SessionNotFound(f"No session with id {session_id}.")
    return info


def _zone_of(db: Session, info: InfoSession) -> str:
    venue = venues.get_venue(db, info.venue_id)
    assert venue is not None
    return venue.timezone


def _check_ambassadors(db: Session, user_ids: list[str]) -> None:
    active = accounts.active_ambassadors(db, user_ids)
    for user_id in user_ids:
        if user_id not in active:
            raise NotAnAmbassador(f"{user_id} is not an active ambassador; see GET /api/v1/users for their ids.")


def runnable(db: Session, session_id: str, user: Principal, what: str = "bookings or check-ins") -> InfoSession:
    """The session, locked, if ``user`` may run it and it is still open (published)."""
    info = repository.lock(db, session_id)
    if info is None:
        raise SessionNotFound(f"No session with id {session_id}.")
    access.ensure_can_run(user, info, repository.ambassadors_of(db, info.id))
    if info.status != SessionStatus.PUBLISHED:
        raise SessionNotOpen(f"This session is {info.status}; it takes no more {what}.")
    return info


def public_view(db: Session, info: InfoSession, timezone: str, settings: SchedulerSettings) -> SessionPublic:
    counts = bookings.count_by_status(db, info.id)
    group_seats = groups.seats_taken(db, info.id)
    confirmed = counts.get(BookingStatus.CONFIRMED, 0)
    return SessionPublic(
        **info.model_dump(exclude={"created_at", "walk_ins"}),
        timezone=timezone,
        ambassador_ids=repository.ambassadors_of(db, info.id),
        confirmed=confirmed,
        waitlisted=counts.get(BookingStatus.WAITLISTED, 0),
        group_seats=group_seats,
        seats_left=seats.left(info.capacity, confirmed, group_seats),
        booking_url=booking_url(settings, info.id),
    )


def planned_view(db: Session, info: InfoSession, timezone: str, settings: SchedulerSettings) -> SessionPublic:
    """The answer to planning or moving a session: :func:`public_view` with the ambassadors' months foreseen
    against their allowance caps (hours.foresight)."""
    warnings = [str(w) for w in foresight.allowance_warnings(db, info, timezone, settings.allowance_caps)]
    return public_view(db, info, timezone, settings).model_copy(update={"allowance_warnings": warnings})


def booking_url(settings: SchedulerSettings, session_id: str) -> str:
    return f"{settings.scheduler_public_url}/api/v1/sessions/{session_id}/bookings"
