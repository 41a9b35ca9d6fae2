"""The attendee's pages on the feedback service: the form behind a card's code or the
session's link, the page to type a card's code, and the sealed questionnaire."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from feedback.pages.api import router
from feedback.pages.sealed import router as sealed_router
from feedback.settings import FeedbackSettings
from shared import pages

__all__ = ["install_pages", "TEMPLATES"]

TEMPLATES = Path(__file__).parent / "templates"


def install_pages(app: FastAPI, settings: FeedbackSettings) -> None:
    pages.install(
        app,
        routers=[router, sealed_router],
        templates=[TEMPLATES],
        secret=settings.feedback_token_secret,
        public_url=settings.feedback_public_url,
    )
