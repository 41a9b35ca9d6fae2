"""Dependency aliases for the scheduler's routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from scheduler.settings import SchedulerSettings
from shared.web import runtime_of

__all__ = ["SettingsDep"]


def _settings(request: Request) -> SchedulerSettings:
    return runtime_of(request).settings  # type: ignore[return-value]


SettingsDep = Annotated[SchedulerSettings, Depends(_settings)]
