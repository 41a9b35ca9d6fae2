"""Ambassadors' hours: paid session work and the unpaid work around it."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from scheduler.venues.models import new_id
from shared.events import utcnow

__all__ = ["HoursEntry", "SESSION_KIND", "UNPAID_KINDS"]

#: work on a session; the only kind that can carry travel costs and an allowance.
SESSION_KIND = "session"
#: work not tied to a session, recorded so that it is seen even though it is not paid.
UNPAID_KINDS = ("translation", "meeting", "admin", "other")


class HoursEntry(SQLModel, table=True):
    """One piece of an ambassador's work; money is exact (Numeric), never a float.

    One entry per ambassador and session, so a session cannot be paid twice.
    """

    __tablename__ = "ambassador_hours"
    __table_args__ = (
        UniqueConstraint("user_id", "session_id", name="uq_ambassador_hours_session"),
        Index("ix_ambassador_hours_user_day", "user_id", "day"),
    )

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    user_id: str = Field(foreign_key="user_account.id", max_length=32)
    kind: str = Field(max_length=20)
    session_id: str | None = Field(default=None, foreign_key="info_session.id", max_length=32)
    #: the session's day in its venue's time zone, or the day the unpaid work was done.
    day: date
    hours: Decimal = Field(max_digits=4, decimal_places=2)
    travel_cost: Decimal = Field(default=Decimal("0"), max_digits=8, decimal_places=2)
    allowance: Decimal = Field(default=Decimal("0"), max_digits=8, decimal_places=2)
    note: str = Field(default="", max_length=200)
    #: who logged it: the ambassador, or a coordinator on their behalf.
    logged_by: str = Field(foreign_key="user_account.id", max_length=32)
    created_at: datetime = Field(default_factory=utcnow)
