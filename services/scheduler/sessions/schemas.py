"""Request and response bodies for sessions, check-ins and completion."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator, model_validator

from scheduler.bookings.codes import normalise_code
from scheduler.languages import check_languages

__all__ = [
    "Audience",
    "CancelReason",
    "SessionCreate",
    "SessionUpdate",
    "SessionCancel",
    "SessionPublic",
    "CheckInCreate",
    "CheckInResult",
    "Completion",
]

Audience = Literal["open", "women", "men", "lgbtqi", "youth", "parents"]
#: a code, never free text: it travels to the notifier, and free text could name the topic or a person.
CancelReason = Literal[
    "facilitator_unavailable", "venue_unavailable", "too_few_bookings", "safety", "illness", "weather", "other"
]


class SessionCreate(BaseModel):
    venue_id: str
    room_id: str
    starts_at: AwareDatetime = Field(description="With its UTC offset, e.g. 2026-12-03T14:00:00+01:00")
    ends_at: AwareDatetime
    languages: list[str] = Field(min_length=1, description="BCP 47 codes, e.g. ar, fa-AF, ti")
    audience: Audience = "open"
    topics: list[str] = []
    internal_title: str = Field(min_length=1, max_length=200)
    public_title: str = Field(min_length=1, max_length=120, description="Discreet: shown in messages and pages.")
    capacity: int = Field(gt=0)
    provider_id: str | None = Field(default=None, description="The co-facilitating provider (GET /api/v1/providers).")
    ambassador_ids: list[str] = Field(
        default=[],
        description="User ids of the ambassadors who run it. An ambassador who creates a session is added "
        "and may name no one else; a coordinator may name any active ambassadors.",
    )

    @field_validator("languages")
    @classmethod
    def _bcp47(cls, value: list[str]) -> list[str]:
        return check_languages(value)

    @model_validator(mode="after")
    def _ends_after_start(self) -> SessionCreate:
        if self.ends_at <= self.starts_at:
            raise ValueError("ends_at must be after starts_at")
        return self


class SessionUpdate(BaseModel):
    """A reschedule: a new time, room or venue; what is left out stays as it is."""

    model_config = ConfigDict(extra="forbid")

    venue_id: str | None = Field(default=None, description="A new venue; then room_id must be one of its rooms.")
    room_id: str | None = None
    starts_at: AwareDatetime | None = Field(default=None, description="With its UTC offset")
    ends_at: AwareDatetime | None = None

    @model_validator(mode="after")
    def _something_to_change(self) -> SessionUpdate:
        if all(getattr(self, name) is None for name in ("venue_id", "room_id", "starts_at", "ends_at")):
            raise ValueError("give at least one of starts_at, ends_at, room_id, venue_id")
        if self.venue_id is not None and self.room_id is None:
            raise ValueError("a new venue_id needs a room_id of that venue")
        return self


class SessionCancel(BaseModel):
    reason_code: CancelReason


class SessionPublic(BaseModel):
    id: str
    venue_id: str
    room_id: str
    starts_at: datetime
    ends_at: datetime
    timezone: str
    languages: list[str]
    audience: str
    topics: list[str]
    internal_title: str
    public_title: str
    capacity: int
    provider_id: str | None
    ambassador_ids: list[str]
    status: str
    revision: int
    cancel_reason: str | None
    confirmed: int
    waitlisted: int
    booking_url: str


class CheckInCreate(BaseModel):
    booking_code: str | None = Field(default=None, description="The attendee's booking code")
    walk_ins: int = Field(default=0, ge=0, le=500, description="People without a booking, counted, no data")

    @field_validator("booking_code")
    @classmethod
    def _normalise(cls, value: str | None) -> str | None:
        return normalise_code(value) if value else None

    @model_validator(mode="after")
    def _something(self) -> CheckInCreate:
        if self.booking_code is None and self.walk_ins == 0:
            raise ValueError("give a booking_code or a number of walk_ins")
        return self


class CheckInResult(BaseModel):
    checked_in: int
    walk_ins: int


class Completion(BaseModel):
    session_id: str
    attendance: int
    walk_ins: int
    status: str
