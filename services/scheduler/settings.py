"""The scheduler's settings (environment variables ``BRUG_*``)."""

from __future__ import annotations

from pydantic import field_validator

from shared.sealing import check_public_key
from shared.settings import CommonSettings

__all__ = ["SchedulerSettings"]


class SchedulerSettings(CommonSettings):
    scheduler_database_url: str = "sqlite:///var/scheduler.db"
    scheduler_port: int = 8001
    #: where attendees reach the scheduler; manage links are built on it.
    scheduler_public_url: str = "http://127.0.0.1:8001"
    #: contact details are sealed to this key before they are stored or published.
    notifier_public_key: str

    @field_validator("notifier_public_key")
    @classmethod
    def _key(cls, value: str) -> str:
        return check_public_key(value)
