"""The scheduler's app factory."""

from __future__ import annotations

from datetime import timedelta

from fastapi import FastAPI

from scheduler import models  # noqa: F401 - registers the tables
from scheduler.accounts import passwords
from scheduler.accounts.api import auth_router, users_router, well_known_router
from scheduler.accounts.bootstrap import bootstrap_hook
from scheduler.accounts.tokens import TokenIssuer
from scheduler.bookings.api import router as bookings_router
from scheduler.deps import Coordinator, set_issuer
from scheduler.erasure.api import router as erasure_router
from scheduler.feedback_summaries.api import pooled_router as pooled_feedback_router
from scheduler.feedback_summaries.api import router as feedback_summaries_router
from scheduler.groups.api import router as groups_router
from scheduler.handlers import handlers
from scheduler.hours.api import router as hours_router
from scheduler.pages import install_pages
from scheduler.providers.api import router as providers_router
from scheduler.retention.worker import nickname_retention
from scheduler.sessions.api import public_router as public_sessions_router
from scheduler.sessions.api import router as sessions_router
from scheduler.settings import SchedulerSettings
from scheduler.staff import install_staff_pages
from scheduler.venues.api import router as venues_router
from shared import auth
from shared.audit import audit_router
from shared.auth import Principal
from shared.ratelimit import RateLimiter
from shared.ratelimit import install as install_rate_limits
from shared.settings import load_settings
from shared.web import create_service_app

__all__ = ["create_app"]


def _coordinator(user: Coordinator) -> Principal:
    """The audit log's reader: a coordinator whose account is still active."""
    return user


def create_app(settings: SchedulerSettings | None = None) -> FastAPI:
    settings = settings or load_settings(SchedulerSettings)
    passwords.configure(time_cost=settings.argon2_time_cost, memory_kib=settings.argon2_memory_kib)
    issuer = TokenIssuer(
        settings.scheduler_signing_key.get_secret_value(), timedelta(minutes=settings.access_token_minutes)
    )
    app = create_service_app(
        name="scheduler",
        settings=settings,
        database_url=settings.scheduler_database_url,
        # The registration route first: a request is matched against the routers in order, and at
        # busy times nearly every request is a registration (py-spy: 5 % of the time was matching).
        routers=[
            bookings_router,
            auth_router,
            users_router,
            well_known_router,
            providers_router,
            venues_router,
            sessions_router,
            erasure_router,
            hours_router,
            groups_router,
            public_sessions_router,
            feedback_summaries_router,
            pooled_feedback_router,
            audit_router(_coordinator),
        ],
        handlers=handlers(settings),
        workers=[nickname_retention(settings)],
        on_startup=[bootstrap_hook(settings)],
        title="Brug scheduler",
    )
    install_pages(app, settings)
    install_staff_pages(app, settings)
    set_issuer(app, issuer)
    secret = settings.service_secret.get_secret_value() if settings.service_secret else None
    install_rate_limits(app, settings, RateLimiter.from_settings(settings, service_secret=secret))
    auth.install(app, issuer.verifier())
    return app
