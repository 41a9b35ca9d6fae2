"""Queries on recipients: the bookings the notifier knows how to reach."""

from __future__ import annotations

from sqlmodel import Session, select

from notifier.recipients.models import Recipient

__all__ = ["of_session"]


def of_session(db: Session, session_id: str) -> list[Recipient]:
    """Every recipient booked on the session, whatever their booking's status."""
    return list(db.exec(select(Recipient).where(Recipient.session_id == session_id)).all())
