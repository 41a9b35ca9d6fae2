"""The feedback service's app factory."""

from __future__ import annotations

from fastapi import FastAPI

from feedback import models  # noqa: F401 - registers the tables
from feedback.cards.api import router as cards_router
from feedback.comments.api import router as comments_router
from feedback.forms.api import router as forms_router
from feedback.handlers import handlers
from feedback.pages import install_pages
from feedback.reports.api import router as reports_router
from feedback.reports.publisher import run_publisher
from feedback.sealed.api import router as sealed_router
from feedback.settings import FeedbackSettings
from feedback.staff import install_staff
from feedback.tokens.rekey import rekey_at_start
from shared.audit import audit_router
from shared.auth import require_roles
from shared.ratelimit import install as install_rate_limits
from shared.settings import load_settings
from shared.web import create_service_app

__all__ = ["create_app"]


def create_app(settings: FeedbackSettings | None = None) -> FastAPI:
    settings = settings or load_settings(FeedbackSettings)
    app = create_service_app(
        name="feedback",
        settings=settings,
        database_url=settings.feedback_database_url,
        handlers=handlers(settings),
        routers=[
            forms_router,
            reports_router,
            comments_router,
            sealed_router,
            cards_router,
            audit_router(require_roles("coordinator")),
        ],
        workers=[run_publisher],
        on_startup=[rekey_at_start],
        staff_keys_url=settings.scheduler_jwks_url,
        title="Brug feedback",
    )
    install_rate_limits(app, settings)
    install_pages(app, settings)
    install_staff(app, settings)
    return app
