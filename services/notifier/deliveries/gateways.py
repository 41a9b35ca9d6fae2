"""SMS gateways. ``file`` is the development gateway: one JSON line per message.

Every gateway can ``send`` and ``lookup``: a send that may have gone out
before a crash is looked up by its idempotency key before it is tried again.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Protocol

from shared.events import utcnow

__all__ = ["Gateway", "GatewayError", "FileGateway", "gateway_from_settings"]


class GatewayError(Exception):
    """The gateway refused or failed; ``permanent`` ones are not retried."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class Gateway(Protocol):
    async def send(self, to: str, body: str, idempotency_key: str) -> str: ...

    async def lookup(self, idempotency_key: str) -> str | None: ...


class FileGateway:
    """Appends ``{"to", "body", "idempotency_key", "sent_at"}`` lines to a file."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = asyncio.Lock()

    async def send(self, to: str, body: str, idempotency_key: str) -> str:
        line = json.dumps({"to": to, "body": body, "idempotency_key": idempotency_key, "sent_at": utcnow().isoformat()})
        async with self._lock:
            await asyncio.to_thread(self._append, line)
        return f"file:{idempotency_key}"

    def _append(self, line: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as sink:
            sink.write(line + "\n")

    async def lookup(self, idempotency_key: str) -> str | None:
        return await asyncio.to_thread(self._find, idempotency_key)

    def _find(self, idempotency_key: str) -> str | None:
        if not self.path.exists():
            return None
        with self.path.open(encoding="utf-8") as sink:
            for line in sink:
                if json.loads(line).get("idempotency_key") == idempotency_key:
                    return f"file:{idempotency_key}"
        return None


def gateway_from_settings(settings: object) -> Gateway:
    return FileGateway(settings.sms_file_path)  # type: ignore[attr-defined]
