"""The loop that deletes old dead letters (service.forget_old): every service runs it, as its
``dead_letter`` table is shared.tables' (shared.web.create_service_app starts it with the app)."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import TYPE_CHECKING

import structlog
from sqlalchemy import Engine

from shared.dead_letters import service
from shared.events import utcnow
from shared.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from shared.web import Runtime

__all__ = ["run_once", "dead_letter_retention", "CHECK_SECONDS"]

#: how often the loop looks: the retention is counted in days, so an hour late is no matter
CHECK_SECONDS = 3600.0

log = structlog.get_logger("dead_letters.retention")


def run_once(engine: Engine, *, now: datetime, days: int) -> int:
    """One pass: the letters older than ``days`` deleted; how many."""
    with UnitOfWork(engine) as db:
        return service.forget_old(db, now=now, days=days)


async def dead_letter_retention(runtime: Runtime) -> None:
    """Delete letters older than BRUG_DEAD_LETTER_RETENTION_DAYS now and every :data:`CHECK_SECONDS`."""
    days = runtime.settings.dead_letter_retention_days
    while True:
        try:
            deleted = await asyncio.to_thread(run_once, runtime.engine, now=utcnow(), days=days)
        except Exception as error:  # noqa: BLE001 - a database hiccup: try again next round
            log.warning("dead_letters.retention_failed", error=type(error).__name__)
        else:
            if deleted:
                log.info("dead_letters.deleted", count=deleted, older_than_days=days)
        await asyncio.sleep(CHECK_SECONDS)
