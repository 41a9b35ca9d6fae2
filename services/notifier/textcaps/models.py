"""One text Brug tried to send, counted against its number's caps; the number only as a keyed hash."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

__all__ = ["SmsText"]


class SmsText(SQLModel, table=True):
    """A text handed to a gateway (or about to be): which number, about which session, and when.

    ``number_hash`` is the opt-outs' HMAC-SHA256 of the E.164 number under ``BRUG_OPTOUT_HASH_KEY``
    (notifier.optouts.service.number_hash): without the key the rows cannot be turned back into
    numbers. One row per delivery, so a retry or a failover counts once. Rows are deleted once no
    cap needs them (notifier.textcaps.service.forget).
    """

    __tablename__ = "sms_text"
    __table_args__ = (Index("ix_sms_text_number_sent", "number_hash", "sent_at"),)

    delivery_id: str = Field(primary_key=True, max_length=32)
    number_hash: str = Field(max_length=64)
    session_id: str = Field(index=True, max_length=32)
    sent_at: datetime
