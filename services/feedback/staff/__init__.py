"""Staff pages on the feedback service: provider reports with charts, comment moderation, and the events
it gave up on (shared.pages.staff_dead_letters).

Provider staff and coordinators sign in with their scheduler account
(``shared.pages.staff``); the pages show what the report API gives them, in
Dutch or English.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from feedback.settings import FeedbackSettings
from feedback.staff.comments import router as comments_router
from feedback.staff.routes import router
from shared.pages import staff_dead_letters
from shared.pages.kit import N_, PageKit
from shared.pages.staff import install, scheduler_token_source, token_url_from_jwks

__all__ = ["install_staff", "TEMPLATES"]

TEMPLATES = Path(__file__).parent / "templates"
LAYOUT, MESSAGE = "feedback_staff/layout.html", "feedback_staff/message.html"
SERVICE = N_("The feedback service")


def install_staff(app: FastAPI, settings: FeedbackSettings) -> None:
    """Sign-in and the staff pages, on a service whose page kit is installed (``install_pages``)."""
    pages: PageKit = app.state.pages
    pages.add_templates(TEMPLATES)
    secret = settings.service_secret.get_secret_value() if settings.service_secret else None
    token_url = token_url_from_jwks(settings.scheduler_jwks_url)
    install(
        app, token_source=scheduler_token_source(token_url, settings=settings, service_secret=secret), home="/staff"
    )
    # the password is changed on the scheduler (the only service that knows passwords)
    pages.env.globals["scheduler_url"] = settings.scheduler_public_url.rstrip("/")
    app.include_router(router)
    app.include_router(comments_router)
    app.include_router(staff_dead_letters.router(layout=LAYOUT, message=MESSAGE, service=SERVICE))
