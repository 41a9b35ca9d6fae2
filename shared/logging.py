"""Structured JSON logs that never print a phone number or e-mail address.

Every record, ours (structlog) and third-party (stdlib ``logging``: uvicorn,
nats, alembic), passes :func:`redact` before it is rendered: values under a
personal key (``phone``, ``email``, ``nickname``, ``contact`` ...) are
replaced, and e-mail addresses and phone numbers inside any string are
masked wherever they appear.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import MutableMapping
from typing import Any
from urllib.parse import unquote

import structlog

from shared.redaction import scrub

__all__ = ["configure_logging", "redact"]

PERSONAL_KEYS = frozenset({"phone", "email", "nickname", "contact", "to", "address_line", "name_of_attendee"})

#: keys whose values we write ourselves and that hold no personal data.
SAFE_KEYS = frozenset({"timestamp", "level", "logger", "service", "event_id", "correlation_id"})


def _redact_value(key: str, value: Any) -> Any:
    if key in SAFE_KEYS:
        return value
    if key.lower() in PERSONAL_KEYS and value not in (None, "", [], {}):
        return "[redacted]"
    if isinstance(value, str):
        # URLs in log lines (httpx, uvicorn) carry numbers percent-encoded: To=%2B31612345678.
        return scrub(unquote(value) if "%" in value else value)
    if isinstance(value, dict):
        return {k: _redact_value(str(k), v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_redact_value(key, v) for v in value]
    return value


def redact(_logger: Any, _method: str, event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """structlog processor: the last step before rendering."""
    for key, value in list(event_dict.items()):
        event_dict[key] = _redact_value(key, value)
    return event_dict


def configure_logging(service: str, level: str = "INFO", stream: Any = None) -> None:
    """JSON lines on stderr (or ``stream``), bound to ``service``; idempotent."""
    shared_processors: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.format_exc_info,
    ]
    structlog.configure(
        processors=[*shared_processors, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=False,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared_processors,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            _bind_service(service),
            redact,
            structlog.processors.JSONRenderer(),
        ],
    )
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("uvicorn.access",):
        logging.getLogger(noisy).disabled = True


def _bind_service(service: str) -> Any:
    def add_service(_logger: Any, _method: str, event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
        event_dict.setdefault("service", service)
        return event_dict

    return add_service
