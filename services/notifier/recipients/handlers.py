"""Handlers for the scheduler's booking events: remember how to reach the attendee, plan messages.

Each runs inside the consumer's transaction, so the messages it plans are
written together with the event's inbox record: a redelivered event plans
nothing twice.
"""

from __future__ import annotations

from collections.abc import Sequence

import structlog
from sqlmodel import Session

from notifier.contacts.keys import KeyRing
from notifier.deliveries import service as deliveries
from notifier.deliveries.models import DeliveryKind
from notifier.recipients.models import Recipient, RecipientStatus, SessionCopy, SessionStatus
from notifier.reminders.service import Planner, plan_message, plan_reminders
from shared.events import BookingCancelled, BookingConfirmed, BookingWaitlisted, Channel, Envelope
from shared.sealing import SealError

__all__ = ["on_booking_confirmed", "on_booking_waitlisted", "on_booking_cancelled"]

log = structlog.get_logger("notifier.recipients")


def on_booking_confirmed(
    planner: Planner, keys: KeyRing, db: Session, event: BookingConfirmed, envelope: Envelope
) -> None:
    """A seat (or a promotion from the waiting list): confirm it on each allowed channel, plan reminders."""
    # Lock the session's copy first and read it fresh: a reschedule handled at the same moment (by
    # another replica, on PostgreSQL) re-plans the reminders of the bookings it can see. Unlocked, this
    # booking got reminders for the old time that the reschedule never saw to withdraw, and, once it
    # saw the booking, reminders for the new time as well: two reminders (the chaos suite, seed 2).
    session = db.get(SessionCopy, event.session_id, with_for_update=True, populate_existing=True)
    recipient = _remember(db, keys, event, event.sealed_contact, event.channels)
    recipient.feedback_consent = event.feedback_consent
    recipient.status, recipient.waitlist_position = RecipientStatus.CONFIRMED, None
    db.add(recipient)
    deliveries.withdraw(
        db, booking_code=event.booking_code, kinds=(DeliveryKind.WAITLISTED,)
    )  # a place beats the queue
    if session is not None and session.status != SessionStatus.PUBLISHED:
        return  # cancelled or over: nothing to confirm or remind of
    plan_message(db, planner, recipient, DeliveryKind.PROMOTED if event.promoted else DeliveryKind.CONFIRMATION)
    if session is not None:
        plan_reminders(db, planner, recipient, session)


def on_booking_waitlisted(
    planner: Planner, keys: KeyRing, db: Session, event: BookingWaitlisted, envelope: Envelope
) -> None:
    """The session was full: tell the attendee their place on the waiting list."""
    recipient = _remember(db, keys, event, event.sealed_contact, event.channels)
    recipient.status, recipient.waitlist_position = RecipientStatus.WAITLISTED, event.position
    db.add(recipient)
    plan_message(db, planner, recipient, DeliveryKind.WAITLISTED)


def on_booking_cancelled(planner: Planner, db: Session, event: BookingCancelled, envelope: Envelope) -> None:
    """The attendee (or a coordinator) cancelled: nothing more is sent for this booking, except,
    to one who took an e-mailed calendar invite, its cancellation."""
    recipient = db.get(Recipient, event.booking_code)
    if recipient is not None and recipient.status == RecipientStatus.CANCELLED:
        return  # done before; withdrawing again would take back the cancellation itself
    deliveries.withdraw(db, booking_code=event.booking_code)
    if recipient is None:
        return
    was_confirmed, recipient.status = recipient.status == RecipientStatus.CONFIRMED, RecipientStatus.CANCELLED
    db.add(recipient)
    session = db.get(SessionCopy, event.session_id)
    calendar = planner.email and Channel.INVITE in recipient.channels and recipient.sealed_contact is not None
    on = session is not None and session.status == SessionStatus.PUBLISHED
    if calendar and on and was_confirmed and deliveries.invite_went_out(db, event.booking_code):
        # the entry in their calendar goes too: METHOD:CANCEL, same UID, a higher SEQUENCE
        deliveries.plan(
            db,
            booking_code=event.booking_code,
            session_id=event.session_id,
            channel=Channel.EMAIL,
            kind=DeliveryKind.BOOKING_CANCELLED,
        )


def _remember(
    db: Session, keys: KeyRing, event: BookingConfirmed | BookingWaitlisted, sealed: str | None, channels: Sequence[str]
) -> Recipient:
    code, session_id, locale = event.booking_code, event.session_id, event.locale
    recipient = db.get(Recipient, code) or Recipient(booking_code=code, session_id=session_id, locale=locale)
    recipient.session_id, recipient.locale = session_id, locale
    session = db.get(SessionCopy, session_id)
    if session is not None and session.purged_at is not None:
        sealed = None  # a late event for a session past its retention period: keep nothing
    recipient.sealed_contact, recipient.contact_key = _at_rest(keys, code, sealed)
    recipient.channels = list(channels)
    db.add(recipient)
    db.flush()
    return recipient


def _at_rest(keys: KeyRing, code: str, sealed: str | None) -> tuple[str | None, str | None]:
    """The contact sealed to the current key, and that key's id.

    A contact sealed to an older key (a scheduler not yet given the new
    public key) is re-sealed at once. One that no key opens is kept as it
    came, with no key id: its messages fail (and say why) when they are sent.
    """
    if sealed is None:
        return None, None
    try:
        return keys.to_current(sealed)
    except SealError:
        log.warning("notifier.contact.unreadable", booking_code=code)
        return sealed, None
