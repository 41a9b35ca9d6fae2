"""The feedback service's app factory."""

from __future__ import annotations

from fastapi import FastAPI

from feedback import models  # noqa: F401 - registers the tables
from feedback.comments.api import router as comments_router
from feedback.forms.api import router as forms_router
from feedback.reports.api import router as reports_router
from feedback.reports.publisher import run_publisher
from feedback.sealed.api import router as sealed_router
from feedback.settings import FeedbackSettings
from feedback.tokens.handlers import handlers
from shared import auth
from shared.jwks import keep_verifier_fresh
from shared.settings import load_settings
from shared.web import Runtime, create_service_app

__all__ = ["create_app"]


def create_app(settings: FeedbackSettings | None = None) -> FastAPI:
    settings = settings or load_settings(FeedbackSettings)

    async def load_keys(_runtime: Runtime) -> None:
        await keep_verifier_fresh(app, settings.scheduler_jwks_url)

    app = create_service_app(
        name="feedback",
        settings=settings,
        database_url=settings.feedback_database_url,
        handlers=handlers(settings),
        routers=[forms_router, reports_router, comments_router, sealed_router],
        workers=[load_keys, run_publisher],
        title="Brug feedback",
    )
    auth.install(app)
    return app
