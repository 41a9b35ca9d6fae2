"""Request and response bodies for sessions, check-ins and completion (search filters: sessions.filters)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from dateutil.rrule import rrulestr
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.config import JsonDict

from scheduler.bookings.codes import normalise_code
from scheduler.languages import check_languages
from shared.discretion import discreet
from shared.events import Audience
from shared.i18n import SUPPORTED
from shared.titles import locales_of
from shared.topics import TOPICS

__all__ = [
    "IntegrationPhase",
    "INTERPRETER_PRESENT",
    "INTEGRATION_PHASE",
    "CancelReason",
    "SessionCreate",
    "SessionUpdate",
    "MOVE_FIELDS",
    "DETAIL_FIELDS",
    "SessionCancel",
    "SessionPublic",
    "MAX_OCCURRENCES",
    "SeriesCreate",
    "SkippedDate",
    "SeriesCreated",
    "check_topics",
    "check_title_locales",
    "CheckInCreate",
    "CheckInResult",
    "Completion",
]

#: where the people a session is for are in the path after arrival; staff only, like the audience.
IntegrationPhase = Literal["reception", "integration", "settled"]

INTERPRETER_PRESENT = "An interpreter takes part in the session. For staff only."
INTEGRATION_PHASE = (
    "Where the people it is for are after arrival: reception (living in a reception centre), "
    "integration (has a residence permit, in the civic integration programme) or settled (past it). "
    "For staff only; null: not set."
)
#: a code, never free text: it travels to the notifier, and free text could name the topic or a person.
CancelReason = Literal[
    "facilitator_unavailable", "venue_unavailable", "too_few_bookings", "safety", "illness", "weather", "other"
]


def check_topics(value: list[str]) -> list[str]:
    """A pydantic validator body: every topic from the shared catalogue (shared.topics), each once."""
    for topic in value:
        if topic not in TOPICS:
            raise ValueError(f"{topic!r} is not a topic of the catalogue; use one of {', '.join(TOPICS)}")
    return list(dict.fromkeys(value))


def check_title_locales(titles: dict[str, str], languages: list[str]) -> None:
    """Raise ValueError naming ``public_titles.<locale>`` for a title whose locale is not supported or not
    one of the session's ``languages``."""
    allowed = locales_of(languages)
    for locale in titles:
        if locale not in SUPPORTED:
            raise ValueError(f"public_titles.{locale}: not a supported locale; use one of {', '.join(SUPPORTED)}")
        if locale not in allowed:
            raise ValueError(
                f"public_titles.{locale}: not one of the session's languages ({', '.join(allowed) or 'none supported'})"
            )


def check_moment(value: datetime) -> datetime:
    """A pydantic validator body: a moment from 2000 to 2099 (year 1 with an offset has no UTC: it was a 500)."""
    try:
        year = value.astimezone(UTC).year
    except OverflowError:
        year = 0
    if not 2000 <= year <= 2099:
        raise ValueError("give a date and time from 2000 to 2099 with its UTC offset, e.g. 2026-12-03T14:00:00+01:00")
    return value


#: a session's start or end: with its offset, of this century (sessions.timing checks it against now).
Moment = Annotated[AwareDatetime, AfterValidator(check_moment)]
#: BCP 47 codes (scheduler.languages), at least one: the same rule on planning and on a change.
Languages = Annotated[list[str], Field(min_length=1), AfterValidator(check_languages)]
#: topic ids from the catalogue, each once (check_topics).
Topics = Annotated[list[str], AfterValidator(check_topics)]
InternalTitle = Annotated[str, Field(min_length=1, max_length=200)]
#: shown on pages, in texts and invites: refused when it names the topic (shared.discretion).
PublicTitle = Annotated[
    str,
    Field(min_length=1, max_length=120, description="Discreet: shown in messages and pages."),
    AfterValidator(discreet),
]
#: a public title per session language ({"ar": "لقاء الخميس"}), each as discreet as ``public_title``.
PublicTitles = Annotated[dict[str, PublicTitle], Field(max_length=len(SUPPORTED))]
_TITLES_HELP = (
    'The public title in each of the session\'s languages, by locale (e.g. {"ar": "..."}), each as discreet '
    "as public_title. An attendee reads their language's, else public_title when the session is in their "
    "language, else the first language's (shared.titles)."
)
Capacity = Annotated[int, Field(gt=0)]
#: up to a week before the start; the answer's booking_closes_at says when that is.
BookingCutoff = Annotated[int, Field(ge=0, le=7 * 24 * 60)]
_CUTOFF_HELP = "Registration closes this many minutes before the start (0: at the start; at most a week)."
_PUBLIC_HELP = "List it on the public page (GET /api/v1/public/sessions); otherwise only its link finds it."
_LANGUAGES_HELP = "BCP 47 codes, e.g. ar, fa-AF, ti"
_TOPICS_HELP = "Ids from the topic catalogue (shared.topics), e.g. health_system"
_PROVIDER_HELP = "The co-facilitating provider (GET /api/v1/providers)."


class SessionCreate(BaseModel):
    venue_id: str
    room_id: str
    starts_at: Moment = Field(
        description="With its UTC offset, e.g. 2026-12-03T14:00:00+01:00; still to come, at most two years ahead"
    )
    ends_at: Moment = Field(description="After starts_at, at most 12 hours")
    languages: Languages = Field(description=_LANGUAGES_HELP)
    audience: Audience = Audience.OPEN
    topics: Topics = Field(default=[], description=_TOPICS_HELP)
    internal_title: InternalTitle
    public_title: PublicTitle
    public_titles: PublicTitles = Field(default={}, description=_TITLES_HELP)
    capacity: Capacity
    booking_cutoff_minutes: BookingCutoff = Field(default=0, description=_CUTOFF_HELP)
    public: bool = Field(default=False, description=_PUBLIC_HELP)
    provider_id: str | None = Field(default=None, description=_PROVIDER_HELP)
    interpreter_present: bool = Field(default=False, description=INTERPRETER_PRESENT)
    integration_phase: IntegrationPhase | None = Field(default=None, description=INTEGRATION_PHASE)
    ambassador_ids: list[str] = Field(
        default=[],
        description="User ids of the ambassadors who run it. An ambassador who creates a session is added "
        "and may name no one else; a coordinator may name any active ambassadors.",
    )

    @field_validator("public_titles")
    @classmethod
    def _title_locales(cls, value: dict[str, str], info: ValidationInfo) -> dict[str, str]:
        if "languages" in info.data:  # else the languages' own error says what to fix
            check_title_locales(value, info.data["languages"])
        return value

    @model_validator(mode="after")
    def _ends_after_start(self) -> SessionCreate:
        if self.ends_at <= self.starts_at:
            raise ValueError("ends_at must be after starts_at")
        return self


#: the most sessions one series request plans (a year of weekly sessions).
MAX_OCCURRENCES = 52
#: every other week, every quarter, at most once a year
MAX_INTERVAL = 12
_RULE_PARTS = {"FREQ", "COUNT", "UNTIL", "INTERVAL", "BYDAY", "BYMONTHDAY", "BYSETPOS", "WKST"}


_UNTIL = re.compile(r"\d{8}(T\d{6}Z)?")


def _within(value: str, most: int) -> bool:
    """ASCII digits from 1 to ``most`` (``str.isdigit`` also takes "²" and Arabic-Indic digits)."""
    return re.fullmatch(r"[0-9]{1,3}", value) is not None and 1 <= int(value) <= most


def check_rrule(value: str) -> str:
    """A pydantic validator body: a weekly or monthly RRULE that ends (COUNT or UNTIL)."""
    rule = value.strip().removeprefix("RRULE:").upper()
    parts = dict(part.partition("=")[::2] for part in rule.split(";") if part)
    unknown = sorted(set(parts) - _RULE_PARTS)
    if unknown:
        raise ValueError(f"{', '.join(unknown)} is not supported here; use FREQ, COUNT or UNTIL, INTERVAL, BYDAY")
    if parts.get("FREQ") not in ("WEEKLY", "MONTHLY"):
        raise ValueError("FREQ must be WEEKLY or MONTHLY, e.g. FREQ=WEEKLY;COUNT=6")
    if ("COUNT" in parts) == ("UNTIL" in parts):
        raise ValueError("give COUNT or UNTIL (not both), so the series ends, e.g. FREQ=WEEKLY;COUNT=6")
    if "COUNT" in parts and not _within(parts["COUNT"], MAX_OCCURRENCES):
        raise ValueError(f"COUNT must be a number from 1 to {MAX_OCCURRENCES}")
    if "INTERVAL" in parts and not _within(parts["INTERVAL"], MAX_INTERVAL):
        # dateutil takes 0 (every date the same day) and crashes on it weekly
        raise ValueError(f"INTERVAL must be a number from 1 to {MAX_INTERVAL}, e.g. FREQ=WEEKLY;INTERVAL=2;COUNT=6")
    if "UNTIL" in parts and not _UNTIL.fullmatch(parts["UNTIL"]):
        # dateutil would guess at anything ("UNTIL=1" became the 1st of this month): only RFC 5545's forms
        raise ValueError("UNTIL must be a date (20270630) or a UTC time (20270630T170000Z)")
    try:
        rrulestr(rule.replace("Z", ""), dtstart=datetime(2026, 1, 1))
    except (ValueError, TypeError, KeyError, OverflowError) as error:  # OverflowError: an UNTIL of 99999999999
        raise ValueError(f"is not a valid RRULE ({error}); e.g. FREQ=MONTHLY;BYDAY=1TH;COUNT=6") from None
    return rule


class SeriesCreate(SessionCreate):
    """One session's details, the first date in ``starts_at``/``ends_at``, and how it recurs."""

    rrule: str = Field(
        max_length=200,
        description="RFC 5545 RRULE, weekly or monthly, ending by COUNT (at most 52) or UNTIL, e.g. "
        "FREQ=WEEKLY;COUNT=6 or FREQ=MONTHLY;BYDAY=1TH;UNTIL=20270630. Times stay the same on the venue's clock.",
    )

    @field_validator("rrule")
    @classmethod
    def _rule(cls, value: str) -> str:
        return check_rrule(value)


class SkippedDate(BaseModel):
    starts_at: datetime
    ends_at: datetime
    error: str = Field(description="SessionClash, OutsideOpeningHours or NotOnTheClock (the clocks skip its time)")
    detail: str


class SeriesCreated(BaseModel):
    series_id: str
    created: list[SessionPublic]
    skipped: list[SkippedDate] = Field(description="Dates not planned, each with the reason; the others were.")


#: what a PATCH may move: a move is checked like a new session and announced to attendees.
MOVE_FIELDS = ("starts_at", "ends_at", "room_id", "venue_id")
#: the details a PATCH may change without telling attendees; public_title is not one (they have it).
#: public_titles re-announces the session to the notifier and feedback (sessions.details), not to attendees.
DETAIL_FIELDS = (
    "public",
    "capacity",
    "booking_cutoff_minutes",
    "internal_title",
    "public_titles",
    "languages",
    "audience",
    "topics",
    "interpreter_present",
    "integration_phase",
    "provider_id",
)
#: the details an explicit null clears; for the others null is refused.
NULLABLE_DETAILS = ("integration_phase", "provider_id")


def _never_null(schema: JsonDict) -> None:
    """The field's OpenAPI without ``null``: its type admits None only to tell a left-out field."""
    options = schema.pop("anyOf", None)
    if isinstance(options, list):
        (only,) = [option for option in options if option != {"type": "null"}]
        assert isinstance(only, dict)
        schema.update(only)


def _detail(description: str | None = None) -> Any:
    """A detail that may be left out but never given as null (SessionUpdate._not_null says so)."""
    return Field(default=None, description=description, json_schema_extra=_never_null)


class SessionUpdate(BaseModel):
    """A move (a new time, room or venue), new details, or both; what is left out stays as it is.

    ``public_title`` cannot change (extra fields are refused): attendees have it in their
    calendars and messages. To give a session another, cancel it and plan it anew. The titles per
    language (``public_titles``) may change: the messages still to be sent use the new ones.
    """

    model_config = ConfigDict(extra="forbid")

    venue_id: str | None = Field(default=None, description="A new venue; then room_id must be one of its rooms.")
    room_id: str | None = None
    starts_at: Moment | None = Field(default=None, description="With its UTC offset; still to come")
    ends_at: Moment | None = None
    public: bool | None = _detail(_PUBLIC_HELP)
    capacity: Capacity | None = _detail(
        "At most the room holds and at least the seats taken; raising it seats the waitlist at once."
    )
    booking_cutoff_minutes: BookingCutoff | None = _detail(_CUTOFF_HELP)
    internal_title: InternalTitle | None = _detail()
    public_titles: PublicTitles | None = _detail(
        f"{_TITLES_HELP} Replaces them all ({{}}: none); attendees' messages and pages use the new ones."
    )
    languages: Languages | None = _detail(_LANGUAGES_HELP)
    audience: Audience | None = _detail()
    topics: Topics | None = _detail(_TOPICS_HELP)
    interpreter_present: bool | None = _detail(INTERPRETER_PRESENT)
    integration_phase: IntegrationPhase | None = Field(default=None, description=INTEGRATION_PHASE)
    provider_id: str | None = Field(default=None, description=f"{_PROVIDER_HELP} null: none.")

    @field_validator(*(name for name in DETAIL_FIELDS if name not in NULLABLE_DETAILS))
    @classmethod
    def _not_null(cls, value: object, info: ValidationInfo) -> object:
        if value is None:
            raise ValueError(f"{info.field_name} cannot be null; leave it out to keep it as it is")
        return value

    @model_validator(mode="after")
    def _something_to_change(self) -> SessionUpdate:
        if not self.moves and not self.details:
            raise ValueError(f"give at least one of {', '.join(MOVE_FIELDS + DETAIL_FIELDS)}")
        if self.venue_id is not None and self.room_id is None:
            raise ValueError("a new venue_id needs a room_id of that venue")
        return self

    @property
    def moves(self) -> bool:
        """Whether it gives a new time, room or venue (a null one keeps it)."""
        return any(getattr(self, name) is not None for name in MOVE_FIELDS)

    @property
    def details(self) -> dict[str, object]:
        """The details given, by name, with their new values (None: clear it)."""
        return {name: getattr(self, name) for name in DETAIL_FIELDS if name in self.model_fields_set}


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
    public_titles: dict[str, str] = Field(default={}, description=_TITLES_HELP)
    capacity: int
    booking_cutoff_minutes: int = Field(description=_CUTOFF_HELP)
    public: bool
    series_id: str | None
    provider_id: str | None
    interpreter_present: bool = Field(description=INTERPRETER_PRESENT)
    integration_phase: str | None = Field(description=INTEGRATION_PHASE)
    ambassador_ids: list[str]
    status: str
    revision: int
    cancel_reason: str | None
    confirmed: int = Field(description="Single bookings with a seat.")
    waitlisted: int
    group_seats: int = Field(description="Seats taken by ambassadors' group bookings.")
    seats_left: int
    booking_url: str
    allowance_warnings: list[str] = Field(
        default=[],
        description="Only in the answer to planning or moving a session: for each of its ambassadors whose "
        "month would go over their allowance cap, counting their usual session_allowance for every session "
        "still to run that month. The session is planned all the same.",
    )


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
    attendance: int = Field(description="Checked-in bookings, walk-ins and the people groups brought.")
    walk_ins: int
    group_attendees: int = 0
    status: str


#: the zone a plain date in a search means (the venues' default).
