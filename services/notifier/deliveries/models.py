"""One outbound message, recorded before it is sent."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from shared.events import utcnow

__all__ = ["Delivery", "DeliveryStatus"]


class DeliveryStatus:
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class Delivery(SQLModel, table=True):
    """``idempotency_key`` (event, booking, kind, channel) makes a redelivered event harmless."""

    __table_args__ = (Index("ix_delivery_status_due", "status", "due_at"),)

    id: str = Field(default_factory=lambda: uuid.uuid4().hex, primary_key=True, max_length=32)
    idempotency_key: str = Field(unique=True, max_length=200)
    booking_code: str = Field(index=True, max_length=16)
    session_id: str = Field(max_length=32)
    channel: str = Field(max_length=10)
    kind: str = Field(max_length=30)
    status: str = Field(default=DeliveryStatus.PENDING, max_length=10)
    due_at: datetime = Field(default_factory=utcnow)
    claimed_at: datetime | None = None
    attempts: int = 0
    segments: int = 0
    gateway_ref: str | None = Field(default=None, max_length=100)
    last_error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: datetime = Field(default_factory=utcnow)
