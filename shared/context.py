"""The correlation id of the work in hand, carried through HTTP and NATS headers."""

from __future__ import annotations

import uuid
from contextvars import ContextVar

__all__ = ["HEADER", "NATS_HEADER", "correlation_id", "current_correlation_id", "new_correlation_id"]

HEADER = "X-Correlation-Id"
NATS_HEADER = "Brug-Correlation-Id"

correlation_id: ContextVar[str | None] = ContextVar("correlation_id", default=None)


def new_correlation_id() -> str:
    return uuid.uuid4().hex


def current_correlation_id() -> str:
    """The id bound to this request or message, or a fresh one for work that starts here."""
    return correlation_id.get() or new_correlation_id()
