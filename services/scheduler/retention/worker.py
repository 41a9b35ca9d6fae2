"""The background loop that applies the retention rules (retention.service), started with the app."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

import structlog
from sqlalchemy import Engine

from scheduler.retention.service import blank_nicknames
from scheduler.settings import SchedulerSettings
from shared.db import forget_on_commit
from shared.events import utcnow
from shared.unit_of_work import UnitOfWork
from shared.web import Runtime

__all__ = ["nickname_retention", "run_once"]

log = structlog.get_logger("scheduler.retention")


def run_once(engine: Engine, days: int) -> int:
    with UnitOfWork(engine) as db:
        blanked = blank_nicknames(db, now=utcnow(), days=days)
        if blanked:
            forget_on_commit(db)
        return blanked


def nickname_retention(settings: SchedulerSettings) -> Callable[[Runtime], Coroutine[Any, Any, None]]:
    """A worker for create_service_app: blank due nicknames every ``BRUG_NICKNAME_CHECK_SECONDS``."""

    async def loop(runtime: Runtime) -> None:
        while True:
            try:
                blanked = await asyncio.to_thread(run_once, runtime.engine, settings.nickname_retention_days)
                if blanked:
                    log.info("scheduler.nicknames.deleted", count=blanked)
            except Exception as error:  # noqa: BLE001 - a database hiccup: try again next round
                log.warning("scheduler.nicknames.retention_failed", error=type(error).__name__)
            await asyncio.sleep(settings.nickname_check_seconds)

    return loop
