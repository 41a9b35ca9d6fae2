"""The staff forms as people fill them in, turned into the API's requests.

A session's time is typed as a day and two clock times on the venue's own
clock (what planners read on the venue's door), and becomes an aware moment
in the venue's time zone here; the room is chosen from a list grouped by
venue, so the venue follows from the room. Messages are message ids,
translated where the form is shown.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from pydantic import ValidationError
from sqlmodel import Session

from scheduler.accounts.schemas import UserPublic, UserUpdate
from scheduler.pages.agenda import Choice, language_choice
from scheduler.sessions.schemas import MAX_OCCURRENCES, SeriesCreate, SessionCreate, SessionPublic, SessionUpdate
from scheduler.venues import repository as venues
from scheduler.venues.models import Room, Venue
from scheduler.venues.schemas import WEEKDAYS, VenueCreate, VenuePublic, VenueUpdate
from shared.digits import read_number
from shared.discretion import NOT_DISCREET
from shared.events import Audience
from shared.i18n import SUPPORTED
from shared.pages import N_

__all__ = [
    "language_choices",
    "SessionForm",
    "SeriesRule",
    "REPEATS",
    "VenueForm",
    "AllowanceForm",
    "ROOM_ROWS",
    "VENUE_EDITS",
    "HIDDEN_ADDRESS",
    "LIMIT_NEEDS_CAP",
]

#: what a venue's edit form changes (the rest only through the API: name, kind, hiding the address, hours).
VENUE_EDITS = ("public_name", "address", "city", "neighbourhood", "accessibility_notes", "private_entrance")

#: empty room rows on the new-venue form (a venue needs one; more rows are ignored when left empty).
ROOM_ROWS = 3

NEEDS_ROOM = N_("Choose a room.")
NEEDS_DAY = N_("Give the day, like 2026-12-03.")
NEEDS_TIME = N_("Give the time, like 14:00.")
ENDS_BEFORE = N_("The end must be after the start.")
LANGUAGES = N_("Give one or more language codes, separated by commas, like ar, fa-AF, ti.")
CHOOSE_LANGUAGES = N_("Tick one or more languages.")
CUTOFF = N_("Choose when registration closes.")
RULE = N_("Choose how often it repeats.")
DATES = N_("Give the number of dates, from 1 to 52, or the last date (not both).")
NEEDS_TEXT = N_("Fill this in.")
TOO_LONG = N_("This is too long.")
CAPACITY = N_("Give a number of places, 1 or more.")
TOPIC = N_("Choose topics from the list.")
NEEDS_ROOM_ROW = N_("Give at least one room with its name and number of places.")
TIMEZONE = N_("Use a time zone name like Europe/Amsterdam.")
HIDDEN_ADDRESS = N_("To hide the address, give a neighbourhood, and a public name that is not part of the address.")
NOT_VALID = N_("This does not look right.")
#: the discretion guard's refusal (shared.discretion), without repeating what was typed.
NOT_DISCREET_TEXT = N_(
    "This is shown in messages and on public pages and must not say what the sessions are about. "
    "Use other words, like “Thursday meeting”."
)
HOURS = N_("Give both times of an open day, the closing time after the opening time, like 09:00 and 17:00.")
AMOUNT = N_("Give an amount in euro, like 120 or 120.50, or leave it empty.")
#: euro and at most two cents digits, after a point or a comma; ASCII digits only.
AMOUNT_TYPED = re.compile(r"[0-9]{1,6}(?:[.,][0-9]{1,2})?")
LIMIT_NEEDS_CAP = N_("A personal limit only applies with the cap: tick the box, or leave the limit empty.")


#: the API's field names → the form's (where they differ, and the ones a form shows an error beside).
FIELD_NAMES = {
    "languages": "languages",
    "audience": "audience",
    "topics": "topics",
    "internal_title": "internal_title",
    "public_title": "public_title",
    "capacity": "capacity",
    "booking_cutoff_minutes": "booking_cutoff",
    "provider_id": "provider_id",
    "integration_phase": "integration_phase",
    "ends_at": "ends",
}


def _field_messages(error: ValidationError, names: dict[str, str]) -> dict[str, str]:
    """Pydantic's errors by form field: the first per field, as a message id."""
    found: dict[str, str] = {}
    for problem in error.errors():
        where = str(problem["loc"][0]) if problem["loc"] else ""
        if not where and "ends_at" in problem["msg"]:
            where = "ends_at"
        name = names.get(where, "form")
        found.setdefault(name, _message_for(where, problem["type"]))
    return found


def _message_for(where: str, kind: str) -> str:
    if kind == NOT_DISCREET:
        return NOT_DISCREET_TEXT
    if where == "languages":
        return CHOOSE_LANGUAGES
    if where == "booking_cutoff_minutes":
        return CUTOFF
    if where in ("capacity",) or where.startswith("rooms"):
        return CAPACITY if where == "capacity" else NEEDS_ROOM_ROW
    if where == "topics":
        return TOPIC
    if where == "ends_at":
        return ENDS_BEFORE
    if where == "timezone":
        return TIMEZONE
    if where == "opening_hours":
        return HOURS
    if kind == "string_too_short" or kind == "missing":
        return NEEDS_TEXT
    if kind == "string_too_long":
        return TOO_LONG
    return NOT_VALID


@dataclass
class SessionForm:
    """A new session, or a change to one (editing: the public title stays, the rest may change)."""

    room_id: str = ""
    day: str = ""
    starts: str = ""
    ends: str = ""
    #: language codes ticked (the checkboxes name each in its own script)
    languages: list[str] = field(default_factory=list)
    audience: str = Audience.OPEN
    topics: list[str] = field(default_factory=list)
    internal_title: str = ""
    public_title: str = ""
    capacity: str = ""
    #: minutes before the start that registration closes, as chosen (CUTOFFS)
    booking_cutoff: str = "0"
    public: bool = False
    provider_id: str = ""
    interpreter_present: bool = False
    #: "" (not set), reception, integration or settled
    integration_phase: str = ""
    ambassador_ids: list[str] = field(default_factory=list)
    #: field name → message id
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, current: SessionPublic) -> SessionForm:
        """The edit form of ``current`` as it is, on its venue's clock."""
        zone = ZoneInfo(current.timezone)
        start, end = current.starts_at.astimezone(zone), current.ends_at.astimezone(zone)
        return cls(
            room_id=current.room_id,
            day=start.date().isoformat(),
            starts=f"{start:%H:%M}",
            ends=f"{end:%H:%M}",
            languages=list(current.languages),
            audience=current.audience,
            topics=list(current.topics),
            internal_title=current.internal_title,
            public_title=current.public_title,
            capacity=str(current.capacity),
            booking_cutoff=str(current.booking_cutoff_minutes),
            public=current.public,
            provider_id=current.provider_id or "",
            interpreter_present=current.interpreter_present,
            integration_phase=current.integration_phase or "",
            ambassador_ids=list(current.ambassador_ids),
        )

    def place(self, db: Session) -> tuple[Venue, Room] | None:
        room = venues.get_room(db, self.room_id) if self.room_id else None
        venue = venues.get_venue(db, room.venue_id) if room is not None else None
        if room is None or venue is None:
            self.errors["room_id"] = NEEDS_ROOM
            return None
        return venue, room

    def moments(self, timezone: str) -> tuple[datetime, datetime] | None:
        """Start and end as aware moments on the venue's clock, or None with ``errors`` set."""
        try:
            day = date.fromisoformat(self.day.strip())
        except ValueError:
            self.errors["day"] = NEEDS_DAY
            day = None
        times: list[time | None] = []
        for name in ("starts", "ends"):
            try:
                times.append(time.fromisoformat(getattr(self, name).strip()))
            except ValueError:
                self.errors[name] = NEEDS_TIME
                times.append(None)
        start, end = times
        if day is None or start is None or end is None:
            return None
        zone = ZoneInfo(timezone)
        starts_at, ends_at = datetime.combine(day, start, zone), datetime.combine(day, end, zone)
        if ends_at <= starts_at:
            self.errors["ends"] = ENDS_BEFORE
            return None
        return starts_at, ends_at

    def _numbers(self) -> tuple[int | None, int | None]:
        """The places and the cut-off as numbers, ``errors`` set for either that is not one."""
        capacity, cutoff = read_number(self.capacity), read_number(self.booking_cutoff)
        if capacity is None:
            self.errors["capacity"] = CAPACITY
        if cutoff is None:
            self.errors["booking_cutoff"] = CUTOFF
        return capacity, cutoff

    def _details(self) -> dict[str, object]:
        """The details as the API names them (the form's strings: the model validates them)."""
        return {
            "languages": self.languages,
            "audience": self.audience,
            "topics": self.topics,
            "internal_title": self.internal_title.strip(),
            "public": self.public,
            "provider_id": self.provider_id or None,
            "interpreter_present": self.interpreter_present,
            "integration_phase": self.integration_phase or None,
        }

    def create(self, db: Session) -> SessionCreate | None:
        """The API's request for a new session, or None with ``errors`` filled in."""
        self.errors = {}
        placed = self.place(db)
        when = self.moments(placed[0].timezone) if placed else None
        capacity, cutoff = self._numbers()
        if placed is None or when is None or capacity is None or cutoff is None or self.errors:
            return None
        try:
            return SessionCreate.model_validate(
                {
                    "venue_id": placed[0].id,
                    "room_id": placed[1].id,
                    "starts_at": when[0],
                    "ends_at": when[1],
                    "public_title": self.public_title.strip(),
                    "capacity": capacity,
                    "booking_cutoff_minutes": cutoff,
                    "ambassador_ids": self.ambassador_ids,
                    **self._details(),
                }
            )
        except ValidationError as error:
            self.errors = _field_messages(error, FIELD_NAMES)
            return None

    def series(self, db: Session, rule: SeriesRule) -> SeriesCreate | None:
        """The API's request for this session on every date of ``rule`` (its first date the form's day),
        or None with ``errors`` filled in (the rule's beside its fields)."""
        first = self.create(db)
        recurrence = rule.rrule(date.fromisoformat(self.day.strip())) if first is not None else None
        self.errors |= rule.errors
        if first is None or recurrence is None:
            return None
        try:
            return SeriesCreate.model_validate({**first.model_dump(), "rrule": recurrence})
        except ValidationError:
            self.errors["repeat"] = RULE
            return None

    def update(self, db: Session, current: SessionPublic) -> SessionUpdate | None:
        """The API's change for this form: the move only when the time or room differs (a move is
        announced to attendees), the details as typed; None with ``errors`` filled in."""
        self.errors = {}
        placed = self.place(db)
        when = self.moments(placed[0].timezone) if placed else None
        capacity, cutoff = self._numbers()
        if placed is None or when is None or capacity is None or cutoff is None:
            return None
        moved = (placed[1].id, when[0], when[1]) != (current.room_id, current.starts_at, current.ends_at)
        move = {"venue_id": placed[0].id, "room_id": placed[1].id, "starts_at": when[0], "ends_at": when[1]}
        try:
            return SessionUpdate.model_validate(
                {
                    **(move if moved else {}),
                    "capacity": capacity,
                    "booking_cutoff_minutes": cutoff,
                    **self._details(),
                }
            )
        except ValidationError as error:
            self.errors = _field_messages(error, FIELD_NAMES)
            return None


#: how a series repeats, as planners choose it (SeriesRule.rrule makes the API's RRULE of it).
REPEATS = ("weekly", "fortnightly", "monthly_weekday", "monthly_date")
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass
class SeriesRule:
    """How often a series repeats and until when: a number of dates, or the last date."""

    repeat: str = "weekly"
    count: str = ""
    until: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    def rrule(self, first: date) -> str | None:
        """The RFC 5545 rule the API takes, counted from ``first``; None with ``errors`` set.

        A monthly series on the same weekday keeps the weekday's place in the month (the second
        Tuesday); from the fifth one on, the last of the month, which every month has."""
        self.errors = {}
        if self.repeat not in REPEATS:
            self.errors["repeat"] = RULE
        count, until = read_number(self.count), self._until()
        if (count is None) == (until is None) or (count is not None and not 1 <= count <= MAX_OCCURRENCES):
            self.errors["count"] = DATES
        if self.errors:
            return None
        ends = f"COUNT={count}" if count is not None else f"UNTIL={until:%Y%m%d}"
        if self.repeat == "monthly_weekday":
            place = (first.day - 1) // 7 + 1
            return f"FREQ=MONTHLY;BYDAY={place if place < 5 else -1}{_WEEKDAYS[first.weekday()]};{ends}"
        frequency = "FREQ=MONTHLY" if self.repeat == "monthly_date" else "FREQ=WEEKLY"
        interval = ";INTERVAL=2" if self.repeat == "fortnightly" else ""
        return f"{frequency}{interval};{ends}"

    def _until(self) -> date | None:
        try:
            return date.fromisoformat(self.until.strip()) if self.until.strip() else None
        except ValueError:
            self.errors["count"] = DATES
            return None


@dataclass
class VenueForm:
    name: str = ""
    public_name: str = ""
    kind: str = "community_centre"
    address: str = ""
    city: str = ""
    neighbourhood: str = ""
    hidden_hours: str = ""
    accessibility_notes: str = ""
    private_entrance: bool = False
    room_names: list[str] = field(default_factory=lambda: [""] * ROOM_ROWS)
    room_capacities: list[str] = field(default_factory=lambda: [""] * ROOM_ROWS)
    #: weekday (mon...sun) → (opens, closes) as typed; a day left empty is closed, no day at all: any time
    hours: dict[str, tuple[str, str]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    def opening_hours(self) -> list[dict[str, str]]:
        """The days with hours, as the API takes them; ``errors["hours"]`` for a half-filled day."""
        days = []
        for weekday in WEEKDAYS:
            opens, closes = (part.strip() for part in self.hours.get(weekday, ("", "")))
            if not opens and not closes:
                continue
            if not opens or not closes:
                self.errors["hours"] = HOURS
                continue
            days.append({"weekday": weekday, "opens": opens, "closes": closes})
        return days

    def create(self) -> VenueCreate | None:
        self.errors = {}
        rooms = []
        for name, capacity in zip(self.room_names, self.room_capacities, strict=False):
            if not name.strip() and not capacity.strip():
                continue
            seats = read_number(capacity)
            if not name.strip() or seats is None or seats < 1:
                self.errors["rooms"] = NEEDS_ROOM_ROW
                continue
            rooms.append({"name": name.strip(), "capacity": seats})
        if not rooms:
            self.errors["rooms"] = NEEDS_ROOM_ROW
        opening_hours = self.opening_hours()
        hidden = self.hidden_hours.strip()
        hours = read_number(hidden)
        if hidden and hours is None:
            self.errors["hidden_hours"] = NOT_VALID
        if self.errors:
            return None
        try:
            return VenueCreate(
                name=self.name.strip(),
                public_name=self.public_name.strip(),
                kind=self.kind,  # type: ignore[arg-type]  # a form string; the model validates it
                address=self.address.strip(),
                city=self.city.strip(),
                neighbourhood=self.neighbourhood.strip() or None,
                address_hidden_until_hours=hours,
                accessibility_notes=self.accessibility_notes.strip() or None,
                private_entrance=self.private_entrance,
                rooms=rooms,  # type: ignore[arg-type]  # a form string; the model validates it
                opening_hours=opening_hours,  # type: ignore[arg-type]  # a form string; the model validates it
            )
        except ValidationError as error:
            names = {n: n for n in ("name", "public_name", "kind", "address", "city", "neighbourhood")}
            names["accessibility_notes"] = "accessibility_notes"
            names |= {"address_hidden_until_hours": "hidden_hours", "opening_hours": "hours"}
            self.errors = _field_messages(error, names)
            if "form" in self.errors:
                self.errors["hidden_hours"] = HIDDEN_ADDRESS
                del self.errors["form"]
            return None

    @classmethod
    def of(cls, venue: VenuePublic) -> VenueForm:
        """The edit form of ``venue`` as it is."""
        return cls(
            public_name=venue.public_name,
            address=venue.address,
            city=venue.city,
            neighbourhood=venue.neighbourhood or "",
            accessibility_notes=venue.accessibility_notes or "",
            private_entrance=venue.private_entrance,
        )

    def update(self) -> VenueUpdate | None:
        """The change the edit form asks for (:data:`VENUE_EDITS`; an optional field left empty is cleared)."""
        self.errors = {}
        try:
            return VenueUpdate(
                public_name=self.public_name.strip(),
                address=self.address.strip(),
                city=self.city.strip(),
                neighbourhood=self.neighbourhood.strip() or None,
                accessibility_notes=self.accessibility_notes.strip() or None,
                private_entrance=self.private_entrance,
            )
        except ValidationError as error:
            self.errors = _field_messages(error, {name: name for name in VENUE_EDITS})
            return None


@dataclass
class AllowanceForm:
    """An ambassador's allowance settings as a coordinator types them (amounts in euro, a comma allowed)."""

    capped: bool = True
    limit: str = ""
    per_session: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, user: UserPublic) -> AllowanceForm:
        """The form filled in with ``user``'s settings as they are."""

        def shown(amount: Decimal | None) -> str:
            return "" if amount is None else str(amount)

        return cls(user.allowance_capped, shown(user.monthly_allowance_limit), shown(user.session_allowance))

    def update(self) -> UserUpdate | None:
        """All three settings as the API's change (an empty amount clears it); None with ``errors`` set."""
        self.errors, amounts = {}, {}
        for name in ("limit", "per_session"):
            try:
                amounts[name] = _euro(getattr(self, name))
            except ValueError:
                self.errors[name] = AMOUNT
        if "limit" not in self.errors and amounts["limit"] is not None and not self.capped:
            self.errors["limit"] = LIMIT_NEEDS_CAP
        if self.errors:
            return None
        try:
            return UserUpdate(
                allowance_capped=self.capped,
                monthly_allowance_limit=amounts["limit"],
                session_allowance=amounts["per_session"],
            )
        except ValidationError as error:  # negative, more than two decimals, too large
            names = {"monthly_allowance_limit": "limit", "session_allowance": "per_session"}
            self.errors = {names.get(str(p["loc"][0]), "form"): AMOUNT for p in error.errors() if p["loc"]}
            return None


def _euro(typed: str) -> Decimal | None:
    """An amount as typed (``120``, ``120.50``, ``120,50``); None when empty; ValueError for anything else,
    ``1,200`` and ``1.200`` included: a thousands separator read as a decimal one would pay 1.20."""
    text = typed.strip()
    if not text:
        return None
    if not AMOUNT_TYPED.fullmatch(text):
        raise ValueError(typed)
    return Decimal(text.replace(",", "."))


def language_choices(*chosen: Sequence[str]) -> list[Choice]:
    """Every language Brug speaks, then any other a form or an account already has, as checkboxes offer them."""
    codes = dict.fromkeys([*SUPPORTED, *(code for codes in chosen for code in codes)])
    return [language_choice(code) for code in codes]
