"""Request and response bodies for ambassadors' hours.

Amounts and hours are decimals; in JSON responses they are strings
(``"12.50"``) so no cent is lost to floating point. Requests may send
numbers or strings.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from scheduler.hours.allowance import CapSource, Euro

__all__ = ["MONTH_PATTERN", "SessionWork", "UnpaidWork", "EntryCreate", "EntryPublic", "MonthTotals", "HoursLogged"]

#: a calendar month, ``YYYY-MM``.
#: YYYY-MM from 1900 to 2099 (year 0 or 9999-12 has no month before or after it to count to: a 500)
MONTH_PATTERN = r"^(19|20)\d{2}-(0[1-9]|1[0-2])$"

Hours = Annotated[Decimal, Field(gt=0, le=24, max_digits=4, decimal_places=2, description="More than 0, at most 24.")]

#: an e-mail address or a phone number (nine digits or more; a date has eight): no place in a note.
_PERSONAL = re.compile(r"@|(?:\d[\s()./+-]?){9,}")


class SessionWork(BaseModel):
    """Work on a session the ambassador is named on; the only work that is paid."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["session"]
    session_id: str
    user_id: str | None = Field(default=None, description="Coordinators name the ambassador; ambassadors leave it out.")
    hours: Hours
    travel_cost: Euro = Decimal("0")
    allowance: Euro = Decimal("0")


class UnpaidWork(BaseModel):
    """Translation, meetings, admin and the like: unpaid, but recorded so it is not invisible."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["translation", "meeting", "admin", "other"]
    date: dt.date
    user_id: str | None = Field(default=None, description="Coordinators name the ambassador; ambassadors leave it out.")
    hours: Hours
    note: str = Field(
        default="",
        max_length=200,
        description="What the work was, briefly; never names, phone numbers or other details of attendees.",
    )

    @field_validator("date")
    @classmethod
    def _this_century(cls, value: dt.date) -> dt.date:
        # year 1 was refused as AllowanceCapMissing ("add \"1\" to BRUG_ALLOWANCE_CAPS"), not naming the field
        if not 2000 <= value.year <= 2099:
            raise ValueError("give a date from 2000 to 2099, like 2026-12-04")
        return value

    @field_validator("note")
    @classmethod
    def _no_personal_data(cls, value: str) -> str:
        if _PERSONAL.search(value):
            raise ValueError("must not hold an e-mail address or phone number; describe the work, not the people")
        return value.strip()


EntryCreate = Annotated[SessionWork | UnpaidWork, Field(discriminator="kind")]


class EntryPublic(BaseModel):
    id: str
    user_id: str
    kind: str
    session_id: str | None
    date: dt.date
    hours: Decimal
    travel_cost: Decimal
    allowance: Decimal
    note: str
    logged_by: str


class MonthTotals(BaseModel):
    """One ambassador's month against their allowance cap; ``warning`` is set once the cap is reached."""

    user_id: str
    month: str
    session_hours: Decimal
    unpaid_hours: Decimal
    travel_cost: Decimal
    allowance: Decimal
    cap: Decimal | None = Field(
        description="The month's cap: the legal one (BRUG_ALLOWANCE_CAPS), or the ambassador's personal "
        "monthly_allowance_limit when lower; null when the ambassador is not capped (allowance_capped false)."
    )
    cap_source: CapSource = Field(description="legal, personal, or none (not capped: no cap, no warning).")
    remaining: Decimal | None = Field(
        description="Allowance that may still be paid this month without passing the cap; null: no cap."
    )
    over_cap: bool
    warning: str | None
    entries: int


class HoursLogged(BaseModel):
    """The new entry and its month, so whoever logs it sees a cap warning at once."""

    entry: EntryPublic
    month: MonthTotals
