"""The first coordinator, from BRUG_BOOTSTRAP_ADMIN_EMAIL and _PASSWORD, on a start with no accounts.

Without it nobody could sign in to create the others. It runs after the
migrations; once any account exists it does nothing, so changing the
settings later never resets a password.
"""

from __future__ import annotations

import asyncio

import structlog
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from scheduler.accounts import service
from scheduler.settings import SchedulerSettings
from shared.unit_of_work import UnitOfWork
from shared.web import Runtime, StartupHook

__all__ = ["bootstrap_hook", "bootstrap"]

log = structlog.get_logger("scheduler.accounts")


def bootstrap(engine: Engine, email: str, password: str) -> bool:
    """Create the coordinator if there is no account yet; True if it was created."""
    try:
        with UnitOfWork(engine) as db:
            created = service.bootstrap_admin(db, email, password) is not None
    except IntegrityError:  # a replica that started at the same moment made it first
        created = False
    if not created:
        log.info("scheduler.bootstrap_admin_skipped", reason="accounts exist already")
    return created


def bootstrap_hook(settings: SchedulerSettings) -> StartupHook:
    async def hook(runtime: Runtime) -> None:
        if settings.bootstrap_admin_email is None or settings.bootstrap_admin_password is None:
            return
        password = settings.bootstrap_admin_password.get_secret_value()
        await asyncio.to_thread(bootstrap, runtime.engine, settings.bootstrap_admin_email, password)

    return hook
