"""Request and response bodies for group bookings: counts and languages, never a person."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from scheduler.languages import check_languages

__all__ = ["GroupCreate", "GroupCheckIn", "GroupPublic"]


class GroupCreate(BaseModel):
    """Seats for people an ambassador brings. Unknown fields are refused: no names, no numbers."""

    model_config = ConfigDict(extra="forbid")

    headcount: int = Field(ge=1, le=500, description="How many people the ambassador brings.")
    languages: list[str] = Field(min_length=1, description="The languages they speak, BCP 47 (ar, fa-AF, ti).")
    interpreter_needed: bool = False

    @field_validator("languages")
    @classmethod
    def _bcp47(cls, value: list[str]) -> list[str]:
        return check_languages(list(dict.fromkeys(value)))


class GroupCheckIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    present: int | None = Field(
        default=None, ge=0, le=500, description="How many of the group came; left out: the whole headcount."
    )


class GroupPublic(BaseModel):
    id: str
    session_id: str
    booked_by: str
    headcount: int
    languages: list[str]
    interpreter_needed: bool
    status: str
    present: int | None
    created_at: datetime
