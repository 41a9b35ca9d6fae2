"""The notifier's app factory."""

from __future__ import annotations

from fastapi import FastAPI

from notifier import models  # noqa: F401 - registers the tables
from notifier.deliveries.admin import router as admin_router
from notifier.deliveries.api import router as deliveries_router
from notifier.deliveries.dispatcher import run_dispatcher
from notifier.handlers import handlers
from notifier.invites.api import router as invites_router
from notifier.optouts.api import router as optouts_router
from notifier.retention.worker import run_retention
from notifier.settings import NotifierSettings
from notifier.staff import install_staff
from shared.settings import load_settings
from shared.web import create_service_app

__all__ = ["create_app"]


def create_app(settings: NotifierSettings | None = None) -> FastAPI:
    settings = settings or load_settings(NotifierSettings)
    app = create_service_app(
        name="notifier",
        settings=settings,
        database_url=settings.notifier_database_url,
        routers=[deliveries_router, admin_router, invites_router, optouts_router],
        handlers=handlers(settings),
        workers=[run_dispatcher, run_retention],
        staff_keys_url=settings.scheduler_jwks_url,
        title="Brug notifier",
    )
    install_staff(app, settings)
    return app
