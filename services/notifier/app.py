"""The notifier's app factory."""

from __future__ import annotations

from fastapi import FastAPI

from notifier import models  # noqa: F401 - registers the tables
from notifier.deliveries.api import router as deliveries_router
from notifier.deliveries.dispatcher import run_dispatcher
from notifier.optouts.api import router as optouts_router
from notifier.recipients.handlers import HANDLERS
from notifier.settings import NotifierSettings
from shared.settings import load_settings
from shared.web import create_service_app

__all__ = ["create_app"]


def create_app(settings: NotifierSettings | None = None) -> FastAPI:
    settings = settings or load_settings(NotifierSettings)
    return create_service_app(
        name="notifier",
        settings=settings,
        database_url=settings.notifier_database_url,
        routers=[deliveries_router, optouts_router],
        handlers=HANDLERS,
        workers=[run_dispatcher],
        title="Brug notifier",
    )
