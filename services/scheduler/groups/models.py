"""Group bookings: seats an ambassador takes for people they bring, as a headcount only."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from scheduler.venues.models import new_id
from shared.events import utcnow

__all__ = ["GroupBooking", "GroupStatus"]


class GroupStatus(StrEnum):
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"


class GroupBooking(SQLModel, table=True):
    """A number of seats, the languages the group speaks and whether it needs an interpreter.

    No names, no numbers, no contact: the ambassador who brings the group is
    its contact. ``present`` is how many of them came, counted at the door.
    """

    __tablename__ = "group_booking"
    __table_args__ = (Index("ix_group_booking_session_status", "session_id", "status"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    session_id: str = Field(foreign_key="info_session.id", max_length=32)
    booked_by: str = Field(foreign_key="user_account.id", max_length=32)
    headcount: int
    languages: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    interpreter_needed: bool = False
    status: str = Field(default=GroupStatus.CONFIRMED, max_length=20)
    present: int | None = None
    created_at: datetime = Field(default_factory=utcnow)
