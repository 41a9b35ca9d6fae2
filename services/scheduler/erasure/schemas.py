"""The answer to an erasure request."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

__all__ = ["ErasureResult", "ErasurePreview", "Wiped", "SeatOutcome"]


class ErasureResult(BaseModel):
    code: str
    session_id: str
    erased_at: datetime
    seat: Literal["released", "kept"] = Field(
        description="released: the session was still ahead, the booking is cancelled and its seat offered to the "
        "waitlist. kept: the session has begun or is over; the seat stays counted (attendance stays true)."
    )
    already_erased: bool = Field(description="True when this booking had been erased before; nothing changed now.")


#: what an erasure wipes from a booking that holds it (the language and the link: always).
Wiped = Literal["nickname", "contact", "feedback_consent"]
#: what becomes of the seat: given to the waitlist, the booking taken off the waitlist, kept counted, or
#: nothing (the booking had been cancelled already).
SeatOutcome = Literal["to_waitlist", "off_waitlist", "stays_counted", "none"]


class ErasurePreview(BaseModel):
    """What erasing a booking would do, said without the data itself (the confirmation page)."""

    code: str
    session_id: str
    session_title: str = Field(description="The session's public title (never the internal one).")
    starts_at: datetime
    timezone: str
    already_erased: bool
    wipes: list[Wiped] = Field(description="What the booking holds that would be wiped, not its value.")
    seat: SeatOutcome
