"""Provider organisations: the professionals who co-run sessions and receive their feedback."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from scheduler.venues.models import new_id
from shared.events import utcnow

__all__ = ["Provider"]


class Provider(SQLModel, table=True):
    """An organisation (a sexual-violence centre, a health service); its staff see only its sessions."""

    id: str = Field(default_factory=new_id, primary_key=True, max_length=64)
    name: str = Field(max_length=200, unique=True)
    contact: str = Field(default="", max_length=300)
    languages: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    #: False once a coordinator ended the cooperation (providers.deactivation): no new sessions or staff
    active: bool = True
