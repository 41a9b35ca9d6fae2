"""Completed sessions and the hashes of their single-use feedback tokens."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

__all__ = ["FeedbackSession", "FeedbackToken"]


class FeedbackSession(SQLModel, table=True):
    __tablename__ = "feedback_session"

    session_id: str = Field(primary_key=True, max_length=32)
    provider_id: str | None = Field(default=None, max_length=64)
    attendance: int
    languages: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    audience: str = Field(max_length=20)
    tokens_minted: int
    completed_at: datetime


class FeedbackToken(SQLModel, table=True):
    """Only the hash: the database cannot hand out a token, nor tie one to a person."""

    __tablename__ = "feedback_token"

    token_hash: str = Field(primary_key=True, max_length=64)
    session_id: str = Field(index=True, max_length=32)
    expires_at: datetime
    used_at: datetime | None = None
