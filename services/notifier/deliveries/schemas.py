"""What coordinators see of a delivery: never the address or the text, only its course."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from notifier.deliveries.models import Delivery
from shared.redaction import scrub

__all__ = ["DeliveryPublic", "DeliveryCount"]


class DeliveryPublic(BaseModel):
    id: str
    booking_code: str
    session_id: str
    channel: str
    kind: str
    status: str
    attempts: int
    gateway: str | None
    last_error: str | None
    due_at: datetime
    created_at: datetime

    @classmethod
    def of(cls, delivery: Delivery) -> DeliveryPublic:
        # a gateway may quote the number back in its error; mask it before anyone reads it
        error = scrub(delivery.last_error) if delivery.last_error else None
        return cls(**{**delivery.model_dump(include=set(cls.model_fields) - {"last_error"}), "last_error": error})


class DeliveryCount(BaseModel):
    """How many deliveries of one channel, kind and status there have been; ``purged`` of them
    no longer name their booking (retention), but still count."""

    channel: str
    kind: str
    status: str
    count: int
    purged: int
    segments: int
