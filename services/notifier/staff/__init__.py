"""The coordinator's pages on the notifier: failed deliveries with a retry button, opt-outs, SMS per month;
the events it gave up on (shared.pages.staff_dead_letters).

Coordinators sign in with their scheduler account (``shared.pages.staff``);
the page is in Dutch or English.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from notifier.settings import NotifierSettings
from notifier.staff.routes import router
from shared import pages
from shared.pages import N_, staff_dead_letters
from shared.pages.staff import install, scheduler_token_source, token_url_from_jwks

__all__ = ["install_staff", "TEMPLATES"]

TEMPLATES = Path(__file__).parent / "templates"
LAYOUT, MESSAGE = "notifier_staff/layout.html", "notifier_staff/message.html"
SERVICE = N_("The notifier")


def install_staff(app: FastAPI, settings: NotifierSettings) -> None:
    """The page kit (the notifier has no attendee pages), sign-in, and the coordinator's page.

    CSRF tokens are keyed by a key derived from the opt-out hash key (a
    different purpose, so neither can stand in for the other), the one
    secret every notifier replica is required to share.
    """
    pages.install(
        app,
        routers=[router, staff_dead_letters.router(layout=LAYOUT, message=MESSAGE, service=SERVICE)],
        templates=[TEMPLATES],
        secret=settings.optout_hash_key,
        public_url=settings.notifier_public_url,
    )
    secret = settings.service_secret.get_secret_value() if settings.service_secret else None
    token_url = token_url_from_jwks(settings.scheduler_jwks_url)
    install(
        app, token_source=scheduler_token_source(token_url, settings=settings, service_secret=secret), home="/staff"
    )
    # the password is changed on the scheduler (the only service that knows passwords)
    app.state.pages.env.globals["scheduler_url"] = settings.scheduler_public_url.rstrip("/")
