"""What the notifier keeps to reach an attendee: the session's public facts and a sealed contact."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, Text
from sqlmodel import Field, SQLModel

from shared.events import utcnow

__all__ = ["SessionCopy", "Recipient"]


class SessionCopy(SQLModel, table=True):
    """The public side of a session, from ``scheduling.session.published``."""

    __tablename__ = "notifier_session"

    session_id: str = Field(primary_key=True, max_length=32)
    public_title: str = Field(max_length=120)
    venue_public_name: str = Field(max_length=200)
    address: str = Field(max_length=300)
    starts_at: datetime
    ends_at: datetime
    timezone: str = Field(max_length=64)


class Recipient(SQLModel, table=True):
    """One booking's way to be reached. ``sealed_contact`` stays sealed at rest."""

    booking_code: str = Field(primary_key=True, max_length=16)
    session_id: str = Field(index=True, max_length=32)
    locale: str = Field(max_length=16)
    sealed_contact: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    channels: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    feedback_consent: bool = False
    created_at: datetime = Field(default_factory=utcnow)
