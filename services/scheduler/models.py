"""Every table the scheduler owns (its migrations and model check compare these)."""

from scheduler.accounts.models import User
from scheduler.bookings.models import Booking
from scheduler.providers.models import Provider
from scheduler.sessions.models import InfoSession, SessionAmbassador
from scheduler.venues.models import Room, Venue

__all__ = ["Venue", "Room", "Provider", "User", "InfoSession", "SessionAmbassador", "Booking", "TABLES"]

TABLES = ("venue", "room", "provider", "user_account", "info_session", "session_ambassador", "booking")
