"""A stored answer: no token, no address, no time of day, nothing to join it to a person."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import JSON, Column, Text
from sqlmodel import Field, SQLModel

__all__ = ["FeedbackResponse"]


class FeedbackResponse(SQLModel, table=True):
    """The id is random (no sequence that orders answers in time); the date has no hour."""

    __tablename__ = "feedback_response"

    id: str = Field(default_factory=lambda: uuid.uuid4().hex, primary_key=True, max_length=32)
    session_id: str = Field(index=True, max_length=32)
    question_set: int
    submitted_on: date
    locale: str = Field(max_length=16)
    answers: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    comment: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    #: a comment waits for a coordinator: pending → approved or redacted.
    comment_status: str | None = Field(default=None, max_length=10)
