"""Request and response bodies for bookings."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator, model_validator

from scheduler.bookings.models import BookingStatus
from scheduler.venues.disclosure import Place
from shared.events import Channel
from shared.phones import to_e164

__all__ = [
    "BookingCreate",
    "ChallengeParameters",
    "RegistrationChallenge",
    "BookingCreated",
    "BookingSession",
    "BookingPublic",
    "normalise_phone",
]

_LOCALE = re.compile(r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$")


def normalise_phone(value: str) -> str:
    """E.164; Dutch numbers may be given without +31 (06 12345678): shared.phones.to_e164."""
    return to_e164(value)


class BookingCreate(BaseModel):
    """A registration: nothing is required but a language."""

    nickname: str | None = Field(default=None, max_length=60, description="Optional; no real name needed.")
    locale: str = Field(default="nl", description="Language for messages, e.g. ar, fa-AF, ti.")
    phone: str | None = Field(default=None, max_length=32)
    email: EmailStr | None = None
    channels: list[Channel] | None = Field(
        default=None,
        description="How we may contact you (safe-to-contact). [] explicitly: never directly, only through "
        "the ambassador; nothing is sent even if you gave a number. Left out: every channel your contact "
        "details allow.",
    )
    feedback_consent: bool = False
    altcha: str | None = Field(
        default=None,
        max_length=4000,
        description="Only while a session is flooded (else 428 ChallengeRequired): a solved proof-of-work "
        "challenge from GET /api/v1/sessions/{session_id}/challenge, as the ALTCHA widget's base64 payload.",
    )

    @field_validator("locale")
    @classmethod
    def _locale(cls, value: str) -> str:
        if not _LOCALE.match(value):
            raise ValueError(f"{value!r} is not a language code (examples: nl, ar, fa-AF)")
        return value

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        return normalise_phone(value) if value else None

    @model_validator(mode="after")
    def _channels_have_contact(self) -> BookingCreate:
        if self.channels is None:
            offered: tuple[tuple[Channel, str | None], ...] = (
                (Channel.SMS, self.phone),
                (Channel.EMAIL, self.email),
                (Channel.INVITE, self.email),
            )
            self.channels = [c for c, ok in offered if ok]
        if Channel.SMS in self.channels and not self.phone:
            raise ValueError("channel sms needs a phone number")
        if (Channel.EMAIL in self.channels or Channel.INVITE in self.channels) and not self.email:
            raise ValueError("channels email and invite need an e-mail address")
        return self


class BookingCreated(BaseModel):
    code: str
    session_id: str
    status: Literal[BookingStatus.CONFIRMED, BookingStatus.WAITLISTED]
    waitlist_position: int | None = None
    manage_token: str = Field(description="Keep it secret: it lets you view or cancel this booking.")
    manage_url: str = Field(description="The booking's page behind its secret link: details, calendar, cancel.")
    invite_url: str | None = Field(default=None, description="Add to calendar (.ics), for a confirmed seat.")


class BookingSession(BaseModel):
    """The session as its attendee sees it behind the secret link: the public side only."""

    public_title: str
    starts_at: datetime
    ends_at: datetime
    timezone: str
    status: str
    place: Place = Field(description="The address only from the venue's release time on; before that the area.")


class BookingPublic(BaseModel):
    code: str
    session_id: str
    status: str
    waitlist_position: int | None = Field(description="1 = next in line; moves up when others cancel.")
    locale: str
    channels: list[str]
    checked_in: bool
    created_at: datetime
    invite_url: str | None = Field(default=None, description="Add to calendar (.ics), for a confirmed seat.")
    session: BookingSession


class ChallengeParameters(BaseModel):
    """ALTCHA's v2 challenge parameters, in its own (camelCase) names."""

    model_config = ConfigDict(populate_by_name=True)

    algorithm: str = Field(description="PBKDF2/SHA-256")
    nonce: str
    salt: str
    cost: int = Field(description="Iterations per try.")
    key_length: int = Field(alias="keyLength")
    key_prefix: str = Field(alias="keyPrefix", description="A derived key that starts with these hex digits solves it.")
    expires_at: int = Field(alias="expiresAt", description="Unix time after which a solution is refused.")
    data: dict[str, str] = Field(description="The session the challenge is for.")


class RegistrationChallenge(BaseModel):
    """A proof-of-work challenge for one session (ALTCHA v2: what the widget fetches)."""

    parameters: ChallengeParameters
    signature: str
