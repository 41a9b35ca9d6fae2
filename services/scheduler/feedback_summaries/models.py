"""One published feedback summary per session (already suppressed by the feedback service), and the
released noisy counts it was worked out from."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from shared.events import utcnow

__all__ = ["SessionFeedback"]


class SessionFeedback(SQLModel, table=True):
    __tablename__ = "session_feedback"

    session_id: str = Field(primary_key=True, foreign_key="info_session.id", max_length=32)
    #: None when there were too few answers to show any figure.
    response_count: int | None = None
    summary: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    #: the released noisy counts (``{"responses", "cells", "questions", "min_group"}``); never shown as
    #: they are, only pooled over several sessions (scheduler.feedback_summaries.pooled). Empty: none came.
    counts: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False, server_default="{}"))
    received_at: datetime = Field(default_factory=utcnow)
