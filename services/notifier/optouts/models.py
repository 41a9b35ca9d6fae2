"""A number that asked not to be texted, kept only as a keyed hash."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from shared.events import utcnow

__all__ = ["OptOut"]


class OptOut(SQLModel, table=True):
    """``number_hash`` is HMAC-SHA256 of the E.164 number under ``BRUG_OPTOUT_HASH_KEY``.

    Without the key the table cannot be turned back into numbers (nor checked
    against a list of guessed ones); with it, the notifier can still tell
    whether a number it is about to text has opted out. Opting back in
    deletes the row: nothing is kept that is not needed.
    """

    __tablename__ = "sms_opt_out"

    number_hash: str = Field(primary_key=True, max_length=64)
    opted_out_at: datetime = Field(default_factory=utcnow)
