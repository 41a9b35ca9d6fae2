"""Information sessions (named InfoSession so it never reads as a database session)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Column
from sqlalchemy import false as sa_false
from sqlmodel import Field, SQLModel

from scheduler.venues.models import new_id
from shared.events import utcnow

__all__ = ["InfoSession", "SessionAmbassador", "SessionStatus"]


class SessionStatus(StrEnum):
    """Where a session stands: ``published`` (open for booking) → ``completed`` or ``cancelled``."""

    PUBLISHED = "published"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class InfoSession(SQLModel, table=True):
    """A confidential session; ``public_title`` is the only title that leaves the system."""

    __tablename__ = "info_session"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    venue_id: str = Field(foreign_key="venue.id", index=True, max_length=32)
    room_id: str = Field(foreign_key="room.id", index=True, max_length=32)
    starts_at: datetime = Field(index=True)
    ends_at: datetime
    languages: list[str] = Field(sa_column=Column(JSON, nullable=False))
    audience: str = Field(max_length=20)
    topics: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    internal_title: str = Field(max_length=200)
    public_title: str = Field(max_length=120)
    #: a public title per language (supported locales among ``languages``); shared.titles picks the attendee's.
    public_titles: dict[str, str] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False, server_default="{}")
    )
    capacity: int
    provider_id: str | None = Field(default=None, foreign_key="provider.id", index=True, max_length=64)
    status: str = Field(default=SessionStatus.PUBLISHED, max_length=20)
    walk_ins: int = 0
    #: grows by one with every reschedule, so consumers can tell the newest change (an invite's SEQUENCE).
    revision: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    cancel_reason: str | None = Field(default=None, max_length=40)
    #: listed on the public page (GET /api/v1/public/sessions); most sessions are shared only by their link.
    public: bool = Field(default=False, sa_column_kwargs={"server_default": sa_false()})
    #: the series it was planned in (POST /api/v1/sessions/series), if any.
    series_id: str | None = Field(default=None, index=True, max_length=32)
    #: an interpreter takes part (staff only: it tells planners, not attendees).
    interpreter_present: bool = Field(default=False, sa_column_kwargs={"server_default": sa_false()})
    #: where the attendees are in the integration path: reception, integration or settled; None: not set.
    integration_phase: str | None = Field(default=None, max_length=20)
    created_at: datetime = Field(default_factory=utcnow)
    #: registration closes this many minutes before the start (0: at the start), set by its ambassadors.
    booking_cutoff_minutes: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    #: when it was completed; a completion may be undone for BRUG_COMPLETION_UNDO_MINUTES after (sessions.reopening).
    completed_at: datetime | None = None


class SessionAmbassador(SQLModel, table=True):
    """An ambassador who runs a session; only they (and coordinators) may act on it."""

    __tablename__ = "session_ambassador"

    session_id: str = Field(foreign_key="info_session.id", primary_key=True, max_length=32)
    user_id: str = Field(foreign_key="user_account.id", primary_key=True, index=True, max_length=32)
