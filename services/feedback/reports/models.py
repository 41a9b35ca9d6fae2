"""A session's released figures: its answers counted once, with noise, when its feedback window closed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from shared.events import utcnow

__all__ = ["FeedbackRelease"]


class FeedbackRelease(SQLModel, table=True):
    """One row per released session; every report is worked out from these rows alone, never from the
    answers, so asking again (or with another filter) shows the same noise and cannot average it away.

    ``body`` holds the noisy tally of each language group: ``{"scale": s, "groups": {"ar": {"responses":
    n, "cells": {"useful:4": c, ...}}, "other": {...}}}``.
    """

    __tablename__ = "feedback_release"

    session_id: str = Field(primary_key=True, max_length=32)
    #: the budget this release spent (BRUG_DP_EPSILON when it was made).
    epsilon: float
    body: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    released_at: datetime = Field(default_factory=utcnow)
