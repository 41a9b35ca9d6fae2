"""The answer to an erasure request."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

__all__ = ["ErasureResult"]


class ErasureResult(BaseModel):
    code: str
    session_id: str
    erased_at: datetime
    seat: Literal["released", "kept"] = Field(
        description="released: the session was still ahead, the booking is cancelled and its seat offered to the "
        "waitlist. kept: the session has begun or is over; the seat stays counted (attendance stays true)."
    )
    already_erased: bool = Field(description="True when this booking had been erased before; nothing changed now.")
