"""The attendee's pages on the scheduler: the shareable session page with its registration
form, the booking page behind the secret link (details, calendar, cancel), and the public agenda."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from scheduler.pages import agenda
from scheduler.pages.api import router
from scheduler.settings import SchedulerSettings
from shared import pages

__all__ = ["install_pages", "TEMPLATES"]

TEMPLATES = Path(__file__).parent / "templates"


def install_pages(app: FastAPI, settings: SchedulerSettings) -> None:
    pages.install(
        app,
        routers=[router, agenda.router],
        templates=[TEMPLATES],
        secret=settings.scheduler_signing_key.get_secret_value(),
        public_url=settings.scheduler_public_url,
    )
