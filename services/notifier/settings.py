"""The notifier's settings (environment variables ``BRUG_*``)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import field_validator

from shared.sealing import check_private_key
from shared.settings import CommonSettings

__all__ = ["NotifierSettings"]


class NotifierSettings(CommonSettings):
    notifier_database_url: str = "sqlite:///var/notifier.db"
    notifier_port: int = 8002
    #: opens contact details sealed by the scheduler (`python -m notifier keygen`).
    notifier_private_key: str
    sms_gateway: Literal["file"] = "file"
    #: the development gateway's sink: one JSON line per SMS.
    sms_file_path: Path = Path("var/outbox/sms.jsonl")
    dispatch_poll_seconds: float = 0.5
    #: a delivery claimed longer ago than this by a process that died is reconciled and retried.
    delivery_lease_seconds: float = 60.0
    delivery_max_attempts: int = 5

    @field_validator("notifier_private_key")
    @classmethod
    def _key(cls, value: str) -> str:
        return check_private_key(value)
