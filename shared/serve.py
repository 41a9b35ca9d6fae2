"""``python -m <service>``: settings, logging, then uvicorn; one shape for all three."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import uvicorn
from fastapi import FastAPI

from shared.logging import configure_logging
from shared.settings import CommonSettings, SettingsError, load_settings

__all__ = ["serve"]


def serve(name: str, settings_cls: type[CommonSettings], create_app: Callable[[Any], FastAPI], port_field: str) -> None:
    """Run one service in the foreground until SIGINT or SIGTERM."""
    try:
        settings = load_settings(settings_cls)
    except SettingsError as error:
        print(f"{name}: {error}", file=sys.stderr)
        raise SystemExit(2) from None
    configure_logging(name, settings.log_level)
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=getattr(settings, port_field),
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=10,
    )
