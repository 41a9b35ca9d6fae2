"""The scheduler's app factory."""

from __future__ import annotations

from fastapi import FastAPI

from scheduler import models  # noqa: F401 - registers the tables
from scheduler.bookings.api import router as bookings_router
from scheduler.sessions.api import router as sessions_router
from scheduler.settings import SchedulerSettings
from scheduler.venues.api import router as venues_router
from shared.settings import load_settings
from shared.web import create_service_app

__all__ = ["create_app"]


def create_app(settings: SchedulerSettings | None = None) -> FastAPI:
    settings = settings or load_settings(SchedulerSettings)
    return create_service_app(
        name="scheduler",
        settings=settings,
        database_url=settings.scheduler_database_url,
        routers=[venues_router, sessions_router, bookings_router],
        title="Brug scheduler",
    )
