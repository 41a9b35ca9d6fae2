"""Every table the scheduler owns (its migrations and model check compare these)."""

from scheduler.accounts.models import PasswordReset, SignInLockout, User
from scheduler.bookings.models import Booking, IdempotentReply, SpentChallenge
from scheduler.erasure.models import BookingErasure
from scheduler.feedback_summaries.models import SessionFeedback
from scheduler.groups.models import GroupBooking
from scheduler.hours.models import HoursEntry
from scheduler.providers.models import Provider
from scheduler.sessions.models import InfoSession, SessionAmbassador
from scheduler.venues.models import Closure, OpeningHours, Room, Venue
from shared.audit import AuditEntry

__all__ = [
    "Venue",
    "Room",
    "OpeningHours",
    "Closure",
    "Provider",
    "User",
    "InfoSession",
    "SessionAmbassador",
    "Booking",
    "IdempotentReply",
    "SpentChallenge",
    "GroupBooking",
    "HoursEntry",
    "SignInLockout",
    "PasswordReset",
    "BookingErasure",
    "AuditEntry",
    "SessionFeedback",
    "TABLES",
]

TABLES = (
    "venue",
    "room",
    "venue_opening_hours",
    "venue_closure",
    "provider",
    "user_account",
    "info_session",
    "session_ambassador",
    "booking",
    "booking_idempotency",
    "registration_challenge_spent",
    "group_booking",
    "ambassador_hours",
    "sign_in_lockout",
    "password_reset",
    "booking_erasure",
    "audit_log",
    "session_feedback",
)
