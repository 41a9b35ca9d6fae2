"""Every event the feedback service consumes, bound to its settings.

Each handler is typed by its event (``event: SessionCompleted``); the annotation is what
registers it (shared.consumer.payload_class), and the list must match shared/natsauth.py's
READS (shared.web checks it at start-up; it adds the revocation list's handler itself).
"""

from __future__ import annotations

from functools import partial

from feedback.settings import FeedbackSettings
from feedback.tokens import handlers as tokens
from shared.consumer import Handler

__all__ = ["handlers"]


def handlers(settings: FeedbackSettings) -> list[Handler]:
    return [
        tokens.on_session_published,
        partial(tokens.on_session_completed, settings),
        tokens.on_session_reopened,
    ]
