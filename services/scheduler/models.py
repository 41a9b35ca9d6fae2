"""Every table the scheduler owns (its migrations and model check compare these)."""

from scheduler.bookings.models import Booking
from scheduler.sessions.models import InfoSession
from scheduler.venues.models import Room, Venue

__all__ = ["Venue", "Room", "InfoSession", "Booking", "TABLES"]

TABLES = ("venue", "room", "info_session", "booking")
