"""Answers: waiting in the mixing pool (sealed), then stored in shuffled batches with nothing to join
them to the card or link that gave them (feedback.forms.mixing)."""

from __future__ import annotations

import uuid
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, LargeBinary, Text
from sqlmodel import Field, SQLModel

__all__ = ["CommentStatus", "FeedbackResponse", "PooledAnswer"]


class CommentStatus(StrEnum):
    """A comment waits for a coordinator: ``pending`` → ``approved`` or ``redacted``."""

    PENDING = "pending"
    APPROVED = "approved"
    REDACTED = "redacted"


class FeedbackResponse(SQLModel, table=True):
    """The id is random and rows of a batch are written in shuffled order, so neither orders answers in
    time; the date is the day the batch was stored, not when anyone answered."""

    __tablename__ = "feedback_response"

    id: str = Field(default_factory=lambda: uuid.uuid4().hex, primary_key=True, max_length=32)
    session_id: str = Field(index=True, max_length=32)
    question_set: int
    #: the day the answer's batch left the mixing pool.
    submitted_on: date
    #: the answer's language group (``ar``, ``fa``...) when at least k answers of its batch share it,
    #: else None: one Tigrinya speaker in an Arabic session is not singled out by it.
    language: str | None = Field(default=None, max_length=16)
    answers: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    comment: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    #: a comment waits for a coordinator: pending → approved or redacted (:class:`CommentStatus`).
    comment_status: str | None = Field(default=None, max_length=10)


class PooledAnswer(SQLModel, table=True):
    """An answer waiting to be mixed: sealed under a key the database does not hold and padded to one
    size, so a copy taken now shows that a card was spent, never what it said."""

    __tablename__ = "feedback_pool"

    id: str = Field(default_factory=lambda: uuid.uuid4().hex, primary_key=True, max_length=32)
    session_id: str = Field(index=True, max_length=32)
    sealed: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
