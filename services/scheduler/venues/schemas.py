"""Request and response bodies for venues."""

from __future__ import annotations

from datetime import date, time
from typing import Annotated, Any, Literal, get_args
from zoneinfo import available_timezones

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, WithJsonSchema, field_validator, model_validator

from shared.discretion import discreet

__all__ = [
    "VenueKind",
    "Weekday",
    "WEEKDAYS",
    "DayHours",
    "HoursSet",
    "RoomCreate",
    "RoomPublic",
    "VenueCreate",
    "VenueUpdate",
    "VenuePublic",
    "UPDATABLE",
    "hidden_address_problem",
]

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
#: index = Python's ``date.weekday()`` (0 = Monday), as stored.
WEEKDAYS: tuple[Weekday, ...] = get_args(Weekday)

#: two weeks: hiding it longer than the time people plan ahead would hide it from them too.
MAX_HIDDEN_HOURS = 14 * 24

ACCESSIBILITY_NOTES = "For staff only, e.g. 'step-free entrance on the side; lift to floor 2'."
PRIVATE_ENTRANCE = "There is an entrance where attendees are not seen going in. For staff only."
HIDDEN_HOURS = (
    "Show the address only this many hours before a session (pages, booking links, invites); "
    "until then only the neighbourhood. Needs a neighbourhood."
)

VenueKind = Literal[
    "sexual_violence_centre",
    "municipal",
    "reception_centre",
    "library",
    "language_cafe",
    "community_centre",
    "school",
    "other",
]


#: what attendees see of a venue (public name, address, neighbourhood, city): refused when it names the topic.
Shown = AfterValidator(discreet)
#: the constraints inside, so that they apply to the text and not to the optional value.
Neighbourhood = Annotated[str, Field(min_length=1, max_length=100), Shown]


class RoomCreate(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    capacity: int = Field(gt=0, le=10_000)


class RoomPublic(RoomCreate):
    id: str


def _local(value: time) -> time:
    if value.tzinfo is not None:
        raise ValueError("give the venue's local time without a zone or offset, e.g. 09:00")
    return value


#: a time on the venue's own clock: no zone or offset (JSON Schema's "time" format demands one, so the
#: schema says what is meant instead; schemathesis found a response with "09:25:08" refused by it).
LocalTime = Annotated[
    time,
    AfterValidator(_local),
    WithJsonSchema({"type": "string", "pattern": r"^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$", "examples": ["09:00"]}),
]


class DayHours(BaseModel):
    """One weekday's hours, in the venue's own time zone."""

    weekday: Weekday
    opens: LocalTime = Field(description="Local time, e.g. 09:00")
    closes: LocalTime = Field(description="Local time, e.g. 17:00; a venue open past midnight is not supported")

    @model_validator(mode="after")
    def _closes_after_opening(self) -> DayHours:
        if self.closes <= self.opens:
            raise ValueError(f"{self.weekday}: closes ({self.closes:%H:%M}) must be after opens ({self.opens:%H:%M})")
        return self


class HoursSet(BaseModel):
    """A venue's opening hours. No hours at all: any time is fine. Weekdays left out: closed."""

    opening_hours: list[DayHours] = Field(default=[], description="One entry per weekday the venue is open.")
    closed_on: list[date] = Field(default=[], description="Days it is closed although its weekday has hours.")

    @field_validator("opening_hours")
    @classmethod
    def _one_entry_per_day(cls, value: list[DayHours]) -> list[DayHours]:
        seen = [h.weekday for h in value]
        twice = sorted({d for d in seen if seen.count(d) > 1}, key=WEEKDAYS.index)
        if twice:
            raise ValueError(f"give each weekday once; {', '.join(twice)} appears more than once")
        return sorted(value, key=lambda h: WEEKDAYS.index(h.weekday))

    @field_validator("closed_on")
    @classmethod
    def _sorted_days(cls, value: list[date]) -> list[date]:
        return sorted(set(value))


class VenueCreate(HoursSet):
    name: str = Field(min_length=1, max_length=200, description="The real name; never leaves the system.")
    public_name: Annotated[str, Shown] = Field(
        min_length=1, max_length=200, description="Safe to show, e.g. street and number."
    )
    kind: VenueKind
    address: Annotated[str, Shown] = Field(min_length=1, max_length=300)
    city: Annotated[str, Shown] = Field(min_length=1, max_length=100)
    timezone: str = "Europe/Amsterdam"
    neighbourhood: Neighbourhood | None = Field(
        default=None, description="Named instead of the address while it is hidden."
    )
    address_hidden_until_hours: int | None = Field(
        default=None,
        ge=1,
        le=MAX_HIDDEN_HOURS,
        description=f"{HIDDEN_HOURS} Left out: the address is always shown.",
    )
    accessibility_notes: str | None = Field(
        default=None, min_length=1, max_length=1000, description=ACCESSIBILITY_NOTES
    )
    private_entrance: bool = Field(default=False, description=PRIVATE_ENTRANCE)
    rooms: list[RoomCreate] = Field(min_length=1)
    opening_hours: list[DayHours] = Field(
        default=[], description="One entry per weekday the venue is open; none: sessions at any time."
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        if value not in available_timezones():
            raise ValueError(f"unknown time zone {value!r}; use an IANA name such as Europe/Amsterdam")
        return value

    @model_validator(mode="after")
    def _hidden_address_stays_hidden(self) -> VenueCreate:
        problem = hidden_address_problem(
            self.public_name, self.address, self.neighbourhood, self.address_hidden_until_hours
        )
        if problem is not None:
            raise ValueError(problem)
        return self


def hidden_address_problem(
    public_name: str, address: str, neighbourhood: str | None, address_hidden_until_hours: int | None
) -> str | None:
    """Why a venue that hides its address would still give it away, naming the field; None: it would not.

    Hiding needs a neighbourhood to name instead, and a public name that is not
    part of the address (public_name is shown all along). New venues
    (VenueCreate) and changed ones (PATCH, venues.service) are held to it alike.
    """
    if address_hidden_until_hours is None:
        return None
    if neighbourhood is None:
        return "address_hidden_until_hours needs a neighbourhood to name until the address is shown"
    if _plain(public_name) in _plain(address):
        return (
            "public_name is part of the address, which address_hidden_until_hours hides; "
            "give a public_name that does not name the street, e.g. the neighbourhood"
        )
    return None


def _plain(text: str) -> str:
    return " ".join(text.lower().replace(",", " ").split())


#: what PATCH /api/v1/venues/{venue_id} may change (not the time zone: sessions were planned on its clock).
UPDATABLE = (
    "name",
    "public_name",
    "kind",
    "address",
    "city",
    "neighbourhood",
    "address_hidden_until_hours",
    "accessibility_notes",
    "private_entrance",
)


def _no_defaults(schema: dict[str, Any]) -> None:
    """A field left out stays as it is: OpenAPI shows no ``default: null`` (nor one on a field that refuses null)."""
    for field in schema.get("properties", {}).values():
        field.pop("default", None)


#: The default of a field that refuses null: left out, it is not in ``model_fields_set`` (and keeps its value);
#: pydantic does not validate a default, so only an explicit null meets the field's type, and is refused.
_LEFT_OUT: Any = None


class VenueUpdate(BaseModel):
    """A change to a venue: only the fields given change; null clears a field that may be empty.

    A field that may not be empty (name, public_name, kind, address, city,
    private_entrance) refuses null: leave it out to keep it.
    """

    model_config = ConfigDict(extra="forbid", json_schema_extra=_no_defaults)

    name: str = Field(
        default=_LEFT_OUT, min_length=1, max_length=200, description="The real name; never leaves the system."
    )
    public_name: Annotated[str, Shown] = Field(
        default=_LEFT_OUT, min_length=1, max_length=200, description="Safe to show."
    )
    kind: VenueKind = Field(default=_LEFT_OUT)
    address: Annotated[str, Shown] = Field(default=_LEFT_OUT, min_length=1, max_length=300)
    city: Annotated[str, Shown] = Field(default=_LEFT_OUT, min_length=1, max_length=100)
    neighbourhood: Neighbourhood | None = Field(
        default=None, description="Named instead of the address while it is hidden."
    )
    address_hidden_until_hours: int | None = Field(
        default=None, ge=1, le=MAX_HIDDEN_HOURS, description=f"{HIDDEN_HOURS} Null: the address is always shown."
    )
    accessibility_notes: str | None = Field(
        default=None, min_length=1, max_length=1000, description=ACCESSIBILITY_NOTES
    )
    private_entrance: bool = Field(default=_LEFT_OUT, description=PRIVATE_ENTRANCE)

    @model_validator(mode="after")
    def _something_to_change(self) -> VenueUpdate:
        if not self.model_fields_set:
            raise ValueError(f"give at least one of {', '.join(UPDATABLE)}")
        return self

    def changes(self) -> dict[str, object]:
        """The fields given, with their new values (None: clear it)."""
        return {name: getattr(self, name) for name in UPDATABLE if name in self.model_fields_set}


class VenuePublic(BaseModel):
    id: str
    name: str
    public_name: str
    kind: str
    address: str
    city: str
    timezone: str
    neighbourhood: str | None
    address_hidden_until_hours: int | None
    accessibility_notes: str | None = Field(description=ACCESSIBILITY_NOTES)
    private_entrance: bool = Field(description=PRIVATE_ENTRANCE)
    rooms: list[RoomPublic]
    opening_hours: list[DayHours]
    closed_on: list[date]
