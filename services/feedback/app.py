"""The feedback service's app factory."""

from __future__ import annotations

from fastapi import FastAPI

from feedback import models  # noqa: F401 - registers the tables
from feedback.forms.api import router as forms_router
from feedback.settings import FeedbackSettings
from feedback.tokens.handlers import handlers
from shared.settings import load_settings
from shared.web import create_service_app

__all__ = ["create_app"]


def create_app(settings: FeedbackSettings | None = None) -> FastAPI:
    settings = settings or load_settings(FeedbackSettings)
    return create_service_app(
        name="feedback",
        settings=settings,
        database_url=settings.feedback_database_url,
        handlers=handlers(settings),
        routers=[forms_router],
        title="Brug feedback",
    )
