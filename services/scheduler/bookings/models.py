"""Bookings: no readable contact detail is ever stored here, only a sealed box."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, Index, Text
from sqlmodel import Field, SQLModel

from shared.events import utcnow

__all__ = ["Booking", "BookingStatus", "IdempotentReply", "SpentChallenge"]


class BookingStatus(StrEnum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"


class Booking(SQLModel, table=True):
    __table_args__ = (Index("ix_booking_session_status", "session_id", "status"),)

    code: str = Field(primary_key=True, max_length=16)
    session_id: str = Field(foreign_key="info_session.id", max_length=32)
    status: str = Field(max_length=20)
    locale: str = Field(max_length=16)
    nickname: str | None = Field(default=None, max_length=60)
    sealed_contact: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    channels: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    feedback_consent: bool = False
    manage_token_hash: str = Field(max_length=64)
    checked_in_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)


class IdempotentReply(SQLModel, table=True):
    """The first answer to a booking POST with an ``Idempotency-Key``, replayed to its retries.

    Only a hash of the key is kept, and the answer (which holds the manage
    token) is encrypted under a key derived from the idempotency key, so the
    table alone gives no one a booking's secret link.
    """

    __tablename__ = "booking_idempotency"

    key_hash: str = Field(primary_key=True, max_length=64)
    session_id: str = Field(foreign_key="info_session.id", index=True, max_length=32)
    request_hash: str = Field(max_length=64)
    status_code: int
    sealed_response: str = Field(sa_column=Column(Text, nullable=False))
    expires_at: datetime = Field(index=True)


class SpentChallenge(SQLModel, table=True):
    """A registration challenge whose solution was used (scheduler.bookings.challenge): a second use is
    refused. Named by a hash of its signature; kept until the challenge expires, then deleted."""

    __tablename__ = "registration_challenge_spent"

    challenge_hash: str = Field(primary_key=True, max_length=64)
    session_id: str = Field(foreign_key="info_session.id", max_length=32)
    expires_at: datetime = Field(index=True)
