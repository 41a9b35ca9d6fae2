"""Response bodies for feedback summaries."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

from scheduler.feedback_summaries.pooled import MIN_POOLED_SESSIONS

__all__ = ["SessionFeedbackPublic", "SummaryStatus"]


class SummaryStatus(StrEnum):
    WAITING = "waiting"
    PUBLISHED = "published"


class SessionFeedbackPublic(BaseModel):
    session_id: str
    status: SummaryStatus = Field(description="waiting: the feedback window is open or the report has not arrived yet")
    response_count: int | None = Field(default=None, description="None: too few answers to show, or not for you")
    summary: dict[str, Any] = Field(default_factory=dict, description="The report, withheld figures null")
    received_at: datetime | None = None
    pooled_only: bool = Field(
        default=False,
        description=f"True for the session's ambassadors: they see figures only pooled over at least "
        f"{MIN_POOLED_SESSIONS} of their sessions (GET /api/v1/feedback/mine)",
    )
