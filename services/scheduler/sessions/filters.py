"""Search filters for sessions: the public listing's, and staff search with more (sessions.repository applies them)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator, model_validator

from scheduler.languages import check_languages
from scheduler.sessions.schemas import IntegrationPhase, check_topics
from shared.events import Audience

__all__ = ["PublicFilters", "SessionFilters", "SEARCH_ZONE"]

SEARCH_ZONE = ZoneInfo("Europe/Amsterdam")


class PublicFilters(BaseModel):
    """Search on what the public listing shows; every filter is optional."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    language: str | None = Field(
        default=None, description="A BCP 47 code; fa also finds fa-AF (a language finds its regional variants)."
    )
    city: str | None = Field(default=None, min_length=1, max_length=100, description="The venue's city, any case.")
    starts_from: AwareDatetime | date | None = Field(
        default=None, alias="from", description="Sessions starting at or after this (a date: from that day on)."
    )
    starts_to: AwareDatetime | date | None = Field(
        default=None, alias="to", description="Sessions starting before this (a date: up to and including that day)."
    )
    limit: int = Field(default=200, ge=1, le=500)

    @field_validator("language")
    @classmethod
    def _bcp47(cls, value: str | None) -> str | None:
        return check_languages([value])[0] if value is not None else None

    @field_validator("starts_from", "starts_to")
    @classmethod
    def _this_era(cls, value: datetime | date | None) -> datetime | date | None:
        # year 1 or 9999 has no midnight before or after it in UTC to search from (a 500)
        if value is not None and not 1900 <= value.year <= 2099:
            raise ValueError("give a date from 1900 to 2099, like 2026-12-01")
        return value

    @model_validator(mode="after")
    def _range(self) -> PublicFilters:
        start, end = self.since, self.until
        if start is not None and end is not None and end <= start:
            raise ValueError("to must be after from")
        return self

    @property
    def since(self) -> datetime | None:
        """``from`` as a moment: a plain date is its midnight in Europe/Amsterdam."""
        value = self.starts_from
        if value is None or isinstance(value, datetime):
            return value
        return datetime.combine(value, time(), SEARCH_ZONE)

    @property
    def until(self) -> datetime | None:
        """``to`` as a moment: a plain date is the midnight that ends it."""
        value = self.starts_to
        if value is None or isinstance(value, datetime):
            return value
        return datetime.combine(value + timedelta(days=1), time(), SEARCH_ZONE)


class SessionFilters(PublicFilters):
    """Staff search: also by audience, topic and integration phase (never offered publicly: a filter tells
    what it matches)."""

    audience: Audience | None = None
    topic: str | None = Field(default=None, description="A topic id from the catalogue, e.g. health_system.")
    public: bool | None = Field(default=None, description="Only sessions listed publicly (true) or not (false).")
    integration_phase: IntegrationPhase | None = Field(
        default=None, description="Only sessions for people in this phase: reception, integration or settled."
    )

    @field_validator("topic")
    @classmethod
    def _catalogue(cls, value: str | None) -> str | None:
        return check_topics([value])[0] if value is not None else None
