"""The background loop that applies retention every ``BRUG_RETENTION_CHECK_SECONDS``."""

from __future__ import annotations

import asyncio
from pathlib import Path

import structlog

from notifier.retention.service import purge
from notifier.settings import NotifierSettings
from shared.events import utcnow
from shared.web import Runtime

__all__ = ["run_retention"]

log = structlog.get_logger("notifier.retention")


def _sms_file(settings: NotifierSettings) -> Path | None:
    """The development gateway's file, which retention cleans as it does the databases."""
    return settings.sms_file_path if "file" in settings.sms_gateway else None


async def run_retention(runtime: Runtime) -> None:
    settings: NotifierSettings = runtime.settings  # type: ignore[assignment]  # Runtime holds CommonSettings; this service's app was built with its own
    while True:
        try:
            purged = await asyncio.to_thread(
                purge, runtime.engine, days=settings.retention_days, now=utcnow(), sms_file=_sms_file(settings)
            )
        except Exception as error:  # noqa: BLE001 - database away: try again next time
            log.warning("notifier.retention.failed", error=str(error) or type(error).__name__)
        else:
            if purged.anything:
                log.info(
                    "notifier.retention.purged",
                    sessions=purged.sessions,
                    recipients=purged.recipients + purged.orphans,
                    deliveries=purged.deliveries,
                )
        await asyncio.sleep(settings.retention_check_seconds)
