"""The record that a booking was erased: enough to answer a second request, nothing about the person."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from shared.events import utcnow

__all__ = ["BookingErasure"]


class BookingErasure(SQLModel, table=True):
    """One erased booking. Who asked for it and who did it are in the audit log, not here."""

    __tablename__ = "booking_erasure"

    booking_code: str = Field(primary_key=True, foreign_key="booking.code", max_length=16)
    erased_at: datetime = Field(default_factory=utcnow)
    #: True when the session was still ahead and the seat went back (to the waitlist); False: kept, counted.
    seat_released: bool = False
