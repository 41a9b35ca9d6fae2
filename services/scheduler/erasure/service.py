"""The right to erasure (art. 17 GDPR): a coordinator erases one attendee's data by booking code.

In one transaction, under the session's lock:

- the booking keeps only what counts seats: code, session, status, check-in.
  Its nickname, sealed contact, channels, feedback consent and locale are
  wiped, and its secret link stops working (a new random token hash);
- the seat: a session still ahead (published, not yet started) gets it back,
  the booking is cancelled and the first on the waitlist promoted; a session
  that has begun, is over or was cancelled keeps it counted, so attendance
  and the feedback service's figures stay true;
- the sealed contact is also blanked in this service's outbox rows for the
  booking (sent rows are kept a day, unsent ones will go out without it),
  and a dead letter's kept event about it is dropped (shared.dead_letters);
- ``scheduling.booking.erased`` tells the notifier to delete its copy
  (notifier.recipients.erasure); no ``booking.cancelled`` is sent, since
  that could still mail a calendar cancellation to the erased address;
- a :class:`BookingErasure` row answers a second request ("already erased").

The audit entry (:func:`erase_audited`, for the API and the staff page alike)
names the booking by a hash of its code, never the data erased.
:func:`preview` says what an erasure would do, for the staff page's
confirmation, without the data itself.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlmodel import Session

from scheduler.bookings import repository as bookings
from scheduler.bookings.cancellation import promote
from scheduler.bookings.codes import hash_token, new_manage_token, normalise_code
from scheduler.bookings.models import Booking, BookingStatus
from scheduler.erasure import repository
from scheduler.erasure.models import BookingErasure
from scheduler.erasure.schemas import ErasurePreview, ErasureResult, SeatOutcome, Wiped
from scheduler.errors import BookingNotFound
from scheduler.sessions import repository as sessions
from scheduler.sessions.models import InfoSession, SessionStatus
from scheduler.venues import repository as venues
from shared import audit, outbox
from shared.auth import Principal
from shared.db import forget_on_commit
from shared.dead_letters import service as dead_letters
from shared.events import BookingConfirmed, BookingErased, BookingWaitlisted, utcnow

__all__ = ["erase", "erase_audited", "preview", "ERASED_LOCALE"]

PRODUCER = "scheduler"
#: BCP 47 "undetermined": the language an attendee chose is wiped too.
ERASED_LOCALE = "und"
#: events whose payload carries a sealed contact.
_CARRY_CONTACT = (BookingConfirmed.type, BookingWaitlisted.type)


def erase(db: Session, code: str) -> ErasureResult:
    """Wipe the attendee's data from booking ``code``; idempotent (a second call changes nothing)."""
    found = _found(db, code)
    code = found.code
    info = sessions.lock(db, found.session_id)
    assert info is not None
    booking = bookings.get_fresh(db, code)
    assert booking is not None
    done = db.get(BookingErasure, code)
    if done is not None:
        return _result(booking, done, already=True)
    now = utcnow()
    release = _seat_goes_back(info, booking, now)
    _wipe(booking)
    if release:
        booking.status = BookingStatus.CANCELLED
    db.add(booking)
    erasure = BookingErasure(booking_code=code, erased_at=now, seat_released=release)
    db.add(erasure)
    db.flush()
    _blank_outbox(db, code)
    dead_letters.forget_booking(db, code)
    forget_on_commit(db)
    outbox.record(db, BookingErased(booking_code=code, session_id=booking.session_id), producer=PRODUCER)
    if release:
        promote(db, info)
    return _result(booking, erasure, already=False)


def erase_audited(db: Session, code: str, actor: Principal, audit_key: bytes) -> ErasureResult:
    """:func:`erase`, and the audit entry in the same transaction (only when something was erased):
    who and when, the booking as a keyed hash of its code, never the data."""
    result = erase(db, code)
    if not result.already_erased:
        booking = audit.booking_ref(result.code, audit_key)
        audit.record(db, actor, "booking.erased", booking=booking, session_id=result.session_id, seat=result.seat)
    return result


def preview(db: Session, code: str) -> ErasurePreview:
    """What :func:`erase` would do to booking ``code`` now; changes nothing."""
    booking = _found(db, code)
    info = sessions.get(db, booking.session_id)
    assert info is not None
    venue = venues.get_venue(db, info.venue_id)
    wipes: list[Wiped] = []
    if booking.nickname:
        wipes.append("nickname")
    if booking.sealed_contact or booking.channels:
        wipes.append("contact")
    if booking.feedback_consent:
        wipes.append("feedback_consent")
    return ErasurePreview(
        code=booking.code,
        session_id=info.id,
        session_title=info.public_title,
        starts_at=info.starts_at,
        timezone=venue.timezone if venue else "Europe/Amsterdam",
        already_erased=db.get(BookingErasure, booking.code) is not None,
        wipes=wipes,
        seat=_seat_outcome(info, booking),
    )


def _found(db: Session, code: str) -> Booking:
    code = normalise_code(code)
    found = bookings.get(db, code)
    if found is None:
        raise BookingNotFound(f"No booking with code {code}; check the code the attendee gave.")
    return found


def _seat_outcome(info: InfoSession, booking: Booking) -> SeatOutcome:
    if booking.status == BookingStatus.CANCELLED:
        return "none"
    if not _seat_goes_back(info, booking, utcnow()):
        return "stays_counted"
    return "off_waitlist" if booking.status == BookingStatus.WAITLISTED else "to_waitlist"


def _seat_goes_back(info: InfoSession, booking: Booking, now: datetime) -> bool:
    ahead = info.status == SessionStatus.PUBLISHED and info.starts_at > now
    return ahead and booking.status != BookingStatus.CANCELLED


def _wipe(booking: Booking) -> None:
    booking.nickname = None
    booking.sealed_contact = None
    booking.channels = []
    booking.feedback_consent = False
    booking.locale = ERASED_LOCALE
    booking.manage_token_hash = hash_token(new_manage_token())  # nobody holds this token


def _blank_outbox(db: Session, code: str) -> None:
    """Drop the sealed contact from every outbox row that carries one for ``code``."""
    for row in repository.outbox_rows_naming(db, _CARRY_CONTACT, code):
        body = json.loads(row.body)
        if body.get("payload", {}).get("booking_code") != code:
            continue
        body["payload"]["sealed_contact"] = None
        row.body = json.dumps(body, separators=(",", ":"))
        db.add(row)


def _result(booking: Booking, erasure: BookingErasure, *, already: bool) -> ErasureResult:
    return ErasureResult(
        code=booking.code,
        session_id=booking.session_id,
        erased_at=erasure.erased_at,
        seat="released" if erasure.seat_released else "kept",
        already_erased=already,
    )
