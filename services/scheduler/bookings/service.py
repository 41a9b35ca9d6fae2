"""Rules for bookings: seats under a lock, contact sealed before it is stored."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from scheduler.bookings import challenge, events, idempotency, repository, seating
from scheduler.bookings.cancellation import NO_SUCH_LINK, public_view
from scheduler.bookings.codes import hash_token, new_booking_code, new_manage_token, normalise_code, token_matches
from scheduler.bookings.models import BookingStatus
from scheduler.bookings.phones import check_textable
from scheduler.bookings.schemas import BookingCreate, BookingCreated, BookingPublic
from scheduler.errors import BookingNotFound, SessionNotFound, SessionNotOpen, WaitlistFull
from scheduler.sessions import timing
from scheduler.sessions.models import SessionStatus
from scheduler.settings import SchedulerSettings
from scheduler.venues import repository as venues
from shared import outbox
from shared.events import utcnow
from shared.invite_tokens import invite_token
from shared.sealing import seal

__all__ = ["Ready", "prepare", "book", "get_booking", "invite_url"]

PRODUCER = "scheduler"


@dataclass(frozen=True)
class Ready:
    """A registration with its slow parts done: the contact sealed, the secret link's token and hash.

    Made before the session's lock is taken (``prepare``), so the lock is held
    only for the reads and writes that need it.
    """

    data: BookingCreate
    sealed_contact: str | None
    token: str
    token_hash: str
    #: what its ``altcha`` field proved, asked for only while the session is flooded
    checked: challenge.Checked = challenge.NOT_GIVEN


def prepare(data: BookingCreate, settings: SchedulerSettings) -> Ready:
    """Refuse a number Brug may not text (PhoneNotTextable, in the attendee's language), seal, and check
    the proof-of-work solution if one came (one PBKDF2 run; spent later, under the session's lock)."""
    check_textable(data.phone, settings.sms_countries, data.locale)
    contact = {k: v for k, v in (("phone", data.phone), ("email", data.email)) if v}
    token = new_manage_token()
    sealed = seal(settings.notifier_public_key, contact) if contact else None
    return Ready(data, sealed, token, hash_token(token), challenge.check(data.altcha, settings))


def book(
    db: Session,
    session_id: str,
    registration: BookingCreate | Ready,
    settings: SchedulerSettings,
    idempotency_key: str | None = None,
) -> tuple[int, BookingCreated]:
    """Take a seat, or a waitlist place when the session is full and its waitlist is not (at most
    ``BRUG_WAITLIST_MAX``: one client once filled 57 places); a retry with the same
    ``idempotency_key`` gets the first answer again. Returns the status code and the answer."""
    ready = registration if isinstance(registration, Ready) else prepare(registration, settings)
    data = ready.data
    seats = seating.lock_seats(db, session_id)
    if seats is None:
        raise SessionNotFound(f"No session with id {session_id}.")
    if idempotency_key is not None:
        earlier = idempotency.replay(db, session_id, idempotency_key, data)
        if earlier is not None:
            return earlier
    if seats.status != SessionStatus.PUBLISHED:
        raise SessionNotOpen(f"This session is {seats.status}; it takes no more bookings.")
    _ensure_not_started(db, seats, settings)
    if seats.full and seats.waitlisted >= settings.waitlist_max:
        raise WaitlistFull(
            f"This session is full and so is its waiting list ({seats.waitlisted} waiting, the most "
            "BRUG_WAITLIST_MAX allows); it takes no more bookings. A place may come free if someone cancels."
        )
    challenge.demand(db, session_id, ready.checked, settings)
    answer = _take_place(db, session_id, seats, ready, settings)
    if idempotency_key is not None:
        idempotency.remember(db, session_id, idempotency_key, data, 201, answer)
    seating.took_place(db, session_id, seats)
    return 201, answer


def _ensure_not_started(db: Session, seats: seating.Seats, settings: SchedulerSettings) -> None:
    """BookingsClosed from the session's cut-off on (its start by default; the zone is read only to say when)."""
    now, closes = settings.clock.now(), timing.bookings_close(seats.starts_at, seats.booking_cutoff_minutes)
    if now >= closes:
        venue = venues.get_venue(db, seats.venue_id)
        timing.ensure_bookable(seats.starts_at, seats.booking_cutoff_minutes, venue.timezone if venue else "UTC", now)


def _take_place(
    db: Session, session_id: str, seats: seating.Seats, ready: Ready, settings: SchedulerSettings
) -> BookingCreated:
    data, token = ready.data, ready.token
    booking: seating.NewBooking = {
        "code": _unique_code(db),
        "session_id": session_id,
        "locale": data.locale,
        "nickname": data.nickname,
        "status": BookingStatus.WAITLISTED if seats.full else BookingStatus.CONFIRMED,
        "sealed_contact": ready.sealed_contact,
        "channels": list(data.channels or []),
        "feedback_consent": data.feedback_consent,
        "manage_token_hash": ready.token_hash,
        "created_at": utcnow(),
    }
    seating.insert_booking(db, booking)
    position = seats.waitlisted + 1 if seats.full else None
    event = (
        events.confirmed(booking, promoted=False) if position is None else events.waitlisted(booking, position=position)
    )
    outbox.record(db, event, producer=PRODUCER)
    return BookingCreated(
        code=booking["code"],
        session_id=session_id,
        status=booking["status"],
        waitlist_position=position,
        manage_token=token,
        manage_url=f"{settings.scheduler_public_url}/b/{booking['code']}?token={token}",
        invite_url=invite_url(settings, booking["code"], booking["status"]),
    )


def invite_url(settings: SchedulerSettings, code: str, status: str) -> str | None:
    """The notifier's "add to calendar" link for a confirmed seat, when the shared secret is set."""
    if settings.invite_token_secret is None or status != BookingStatus.CONFIRMED:
        return None
    token = invite_token(settings.invite_token_secret.get_secret_value(), code)
    return f"{settings.notifier_public_url}/api/v1/invites/{code}.ics?token={token}"


def get_booking(db: Session, code: str, token: str, settings: SchedulerSettings) -> BookingPublic:
    """The booking behind a secret link; a wrong token looks exactly like an unknown code."""
    booking = repository.get(db, normalise_code(code))
    if booking is None or not token_matches(token, booking.manage_token_hash):
        raise BookingNotFound(NO_SUCH_LINK)
    return public_view(db, booking).model_copy(
        update={"invite_url": invite_url(settings, booking.code, booking.status)}
    )


def _unique_code(db: Session) -> str:
    while True:
        code = new_booking_code()
        if seating.code_free(db, code):
            return code
