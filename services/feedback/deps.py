"""Dependency aliases for the feedback service's routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from feedback.settings import FeedbackSettings
from shared.web import runtime_of

__all__ = ["SettingsDep"]


def _settings(request: Request) -> FeedbackSettings:
    return runtime_of(request).settings  # type: ignore[return-value]


SettingsDep = Annotated[FeedbackSettings, Depends(_settings)]
