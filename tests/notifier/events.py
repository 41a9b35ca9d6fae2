"""Applying the scheduler's and feedback service's events to a notifier database, as its consumer would."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from notifier.deliveries.models import Delivery
from notifier.handlers import handlers
from notifier.settings import NotifierSettings
from shared.consumer import by_event
from shared.events import (
    BookingConfirmed,
    Envelope,
    Payload,
    SessionPublished,
)
from shared.sealing import seal
from shared.unit_of_work import UnitOfWork
from tests.support.config import Keys

__all__ = ["apply", "handle", "publish", "confirm", "planned", "base_settings", "EMAIL"]

EMAIL = "amal.h@example.net"


def base_settings(keys: Keys, **overrides: Any) -> NotifierSettings:
    values: dict[str, Any] = {
        "notifier_private_key": keys.private,
        "optout_hash_key": keys.optout_key,
        "invite_token_secret": keys.invite_secret,
        **overrides,
    }
    return NotifierSettings(**values)


def apply(engine: Engine, settings: NotifierSettings, payload: Payload) -> None:
    """Run the notifier's handler for ``payload`` in one transaction."""
    with UnitOfWork(engine) as db:
        handle(db, settings, payload)


def handle(db: Session, settings: NotifierSettings, payload: Payload) -> None:
    """Run the notifier's handler for ``payload`` in the transaction ``db``."""
    by_event(handlers(settings))[type(payload)](db, payload, Envelope.wrap(payload, producer="test"))


def publish(
    engine: Engine, settings: NotifierSettings, starts_at: datetime, *, session_id: str = "s1", hours: float = 2
) -> None:
    apply(
        engine,
        settings,
        SessionPublished(
            session_id=session_id,
            public_title="Thursday meeting",
            venue_public_name="Keizersgracht 12",
            address="Keizersgracht 12, 1015 CS Amsterdam",
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=hours),
            timezone="Europe/Amsterdam",
            languages=["nl"],
            audience="women",
            capacity=10,
        ),
    )


def confirm(
    engine: Engine,
    settings: NotifierSettings,
    keys: Keys,
    code: str,
    *,
    channels: list[str] | None = None,
    phone: str | None = "+31612345678",
    email: str | None = None,
    session_id: str = "s1",
    **fields: Any,
) -> None:
    contact = {k: v for k, v in (("phone", phone), ("email", email)) if v}
    apply(
        engine,
        settings,
        BookingConfirmed(
            booking_code=code,
            session_id=session_id,
            locale=fields.pop("locale", "nl"),
            sealed_contact=seal(keys.public, contact) if contact else None,
            channels=["sms"] if channels is None else channels,  # type: ignore[arg-type]
            **fields,
        ),
    )


def planned(engine: Engine, **where: str) -> list[Delivery]:
    """Deliveries, oldest due first, optionally filtered by column values."""
    with UnitOfWork(engine) as db:
        query = select(Delivery).order_by(col(Delivery.due_at), col(Delivery.idempotency_key))
        for name, value in where.items():
            query = query.where(getattr(Delivery, name) == value)
        return list(db.exec(query).all())
