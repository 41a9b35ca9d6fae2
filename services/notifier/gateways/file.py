"""The development gateway: one JSON line per message in a file (``BRUG_SMS_FILE_PATH``)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Collection
from datetime import datetime
from pathlib import Path

from notifier.gateways.base import SmsMessage
from shared.events import utcnow

__all__ = ["FileGateway"]


class FileGateway:
    """Appends ``{"to", "body", "idempotency_key", "sent_at"}`` lines; finds them again by key."""

    name = "file"
    idempotent = False

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = asyncio.Lock()

    async def send(self, message: SmsMessage) -> str:
        line = json.dumps(
            {
                "to": message.to,
                "body": message.body,
                "idempotency_key": message.idempotency_key,
                "sent_at": utcnow().isoformat(),
            }
        )
        async with self._lock:
            await asyncio.to_thread(self._append, line)
        return f"file:{message.idempotency_key}"

    def _append(self, line: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as sink:
            sink.write(line + "\n")

    async def lookup(self, message: SmsMessage, since: datetime, known: Collection[str] = ()) -> str | None:
        return await asyncio.to_thread(self._find, message.idempotency_key)

    def _find(self, idempotency_key: str) -> str | None:
        if not self.path.exists():
            return None
        with self.path.open(encoding="utf-8") as sink:
            for line in sink:
                if json.loads(line).get("idempotency_key") == idempotency_key:
                    return f"file:{idempotency_key}"
        return None
