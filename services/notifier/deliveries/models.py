"""One outbound message, recorded before it is sent."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from shared.events import utcnow

__all__ = ["Delivery", "DeliveryKind", "DeliveryStatus"]


class DeliveryStatus(StrEnum):
    """Where a delivery stands.

    ``pending`` → ``sending`` (claimed) → ``sent`` (a gateway took it) →
    ``delivered`` or ``undelivered`` (the gateway's status callback); or
    ``failed`` (refused for good, or out of attempts), ``skipped`` (the number
    opted out: never sent), ``unconfirmed`` (a gateway may have taken it and
    cannot be asked: not sent again, so no one is texted twice).
    """

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    DELIVERED = "delivered"
    UNDELIVERED = "undelivered"
    FAILED = "failed"
    SKIPPED = "skipped"
    UNCONFIRMED = "unconfirmed"


class DeliveryKind(StrEnum):
    """What a message says (notifier.deliveries.messages has each one's text)."""

    CONFIRMATION = "confirmation"
    PROMOTED = "promoted"
    WAITLISTED = "waitlisted"
    REMINDER = "reminder"
    RESCHEDULED = "rescheduled"
    CANCELLED = "cancelled"
    BOOKING_CANCELLED = "booking_cancelled"
    FEEDBACK = "feedback"


class Delivery(SQLModel, table=True):
    """``idempotency_key`` (event, booking, kind, channel) makes a redelivered event harmless.

    ``gateway`` names the gateway that sent it, or the last one tried;
    ``attempted_at`` is when that call began. ``in_doubt`` is set before every
    gateway call and cleared once its outcome is known, so a call cut short (a
    timeout, a crash) is looked up at that gateway before anything is resent.
    """

    __table_args__ = (
        Index("ix_delivery_status_due", "status", "due_at"),
        Index("ix_delivery_gateway_ref", "gateway", "gateway_ref"),
        # a booking's pending messages (withdraw): without it SQLite reads every pending delivery
        Index("ix_delivery_booking_status", "booking_code", "status"),
    )

    id: str = Field(default_factory=lambda: uuid.uuid4().hex, primary_key=True, max_length=32)
    idempotency_key: str = Field(unique=True, max_length=200)
    booking_code: str = Field(index=True, max_length=16)
    session_id: str = Field(index=True, max_length=32)
    channel: str = Field(max_length=10)
    kind: str = Field(max_length=30)
    status: str = Field(default=DeliveryStatus.PENDING, max_length=16)
    due_at: datetime = Field(default_factory=utcnow)
    claimed_at: datetime | None = None
    attempts: int = 0
    segments: int = 0
    gateway: str | None = Field(default=None, max_length=16)
    gateway_ref: str | None = Field(default=None, max_length=100)
    attempted_at: datetime | None = None
    in_doubt: bool = False
    last_error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: datetime = Field(default_factory=utcnow)
