"""The development gateway: one JSON line per message in a file (``BRUG_SMS_FILE_PATH``).

The file holds numbers in the clear, so erasure and retention reach it too: :func:`forget_bookings`
takes an erased or purged booking's lines out (each line's ``idempotency_key`` names its booking
code), or a copy of ``var/`` would keep the number the databases no longer do (issue 16, item 7). One lock per file
in the process keeps a line being appended from being lost to a rewrite; the file is meant for one
notifier process on one machine (deploy refuses it in production).
"""

from __future__ import annotations

import asyncio
import json
import os
import threading
from collections.abc import Collection
from datetime import datetime
from pathlib import Path

from notifier.gateways.base import SmsMessage
from shared.events import utcnow

__all__ = ["FileGateway", "forget_bookings"]

_LOCKS: dict[Path, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


def _lock(path: Path) -> threading.Lock:
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(path.resolve(), threading.Lock())


def _booking_of(line: str) -> str:
    """The booking code in a line's idempotency key (``kind:CODE:channel[:tag]``), or ``""``."""
    try:
        key = str(json.loads(line).get("idempotency_key", ""))
    except (ValueError, AttributeError):
        return ""
    parts = key.split(":")
    return parts[1] if len(parts) >= 3 else ""


def forget_bookings(path: Path, booking_codes: Collection[str]) -> int:
    """Rewrite ``path`` without the lines of ``booking_codes``; how many went. Safe to repeat."""
    path, codes = Path(path), set(booking_codes) - {""}
    if not codes:
        return 0
    with _lock(path):
        if not path.exists():
            return 0
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        kept = [line for line in lines if _booking_of(line) not in codes]
        if len(kept) == len(lines):
            return 0
        fresh = path.with_name(path.name + ".tmp")
        fresh.write_text("".join(kept), encoding="utf-8")
        os.replace(fresh, path)
        return len(lines) - len(kept)


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
        with _lock(self.path), self.path.open("a", encoding="utf-8") as sink:
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
