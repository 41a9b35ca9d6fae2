"""What the notifier keeps to reach an attendee: the session's public facts and a sealed contact."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, Integer, String, Text, text
from sqlmodel import Field, SQLModel

from shared.events import utcnow
from shared.titles import title_for

__all__ = ["SessionCopy", "SessionStatus", "Recipient", "RecipientStatus"]


class SessionStatus(StrEnum):
    """A session copy's status, from the scheduler's session events."""

    PUBLISHED = "published"
    CANCELLED = "cancelled"
    COMPLETED = "completed"


class RecipientStatus(StrEnum):
    """A booking's status, from the scheduler's booking events."""

    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"


class SessionCopy(SQLModel, table=True):
    """The public side of a session, from ``scheduling.session.published``."""

    __tablename__ = "notifier_session"

    session_id: str = Field(primary_key=True, max_length=32)
    public_title: str = Field(max_length=120)
    #: the public title per language, by locale; None: none given (or published before they were kept).
    public_titles: dict[str, str] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    #: the session's languages, in order: a reader in another language gets the first one's title.
    languages: list[str] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    venue_public_name: str = Field(max_length=200)
    address: str = Field(max_length=300)
    starts_at: datetime
    ends_at: datetime
    timezone: str = Field(max_length=64)
    #: the scheduler's revision of the last reschedule applied; an older one arriving late is ignored.
    revision: int = Field(default=0, sa_column=Column(Integer, nullable=False, server_default=text("0")))
    #: the calendar invites' SEQUENCE: raised by every reschedule and by a cancellation.
    sequence: int = Field(default=0, sa_column=Column(Integer, nullable=False, server_default=text("0")))
    #: ``published``, ``cancelled`` or ``completed``.
    status: str = Field(
        default=SessionStatus.PUBLISHED,
        sa_column=Column(String(16), nullable=False, server_default=text("'published'")),
    )
    #: the feedback link shared by everyone, from a feedback service before personal links; None since.
    feedback_link: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    #: personal feedback links not yet given to an attendee (one each, once the feedback service has
    #: minted them); None until then.
    feedback_links: list[str] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    #: booking codes checked in, from ``scheduling.session.completed``; None until then.
    attended_codes: list[str] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    #: when the retention worker deleted its bookings' contact details; late events store none again.
    purged_at: datetime | None = None

    def title_in(self, locale: str | None) -> str:
        """The public title an attendee reading ``locale`` gets (shared.titles)."""
        return title_for(locale, self.public_title, self.public_titles, self.languages or [])


class Recipient(SQLModel, table=True):
    """One booking's way to be reached. ``sealed_contact`` stays sealed at rest.

    ``contact_key`` names the notifier key it is sealed to (notifier.contacts.keys);
    None for a contact that no configured key opened when it arrived.
    """

    booking_code: str = Field(primary_key=True, max_length=16)
    session_id: str = Field(index=True, max_length=32)
    locale: str = Field(max_length=16)
    sealed_contact: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    contact_key: str | None = Field(default=None, max_length=16)
    channels: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    feedback_consent: bool = False
    #: ``confirmed``, ``waitlisted`` or ``cancelled``.
    status: str = Field(
        default=RecipientStatus.CONFIRMED,
        sa_column=Column(String(16), nullable=False, server_default=text("'confirmed'")),
    )
    waitlist_position: int | None = None
    created_at: datetime = Field(default_factory=utcnow)
    #: the personal feedback link texted to this attendee (it answers once); deleted with the contact.
    feedback_link: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
