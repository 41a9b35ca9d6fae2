"""The reconnect loops' one retry helper: doubling waits up to a cap, each failure logged, cancellable."""

from __future__ import annotations

import asyncio

import pytest
import structlog
from structlog.testing import capture_logs

from shared.retry import retry_forever

log = structlog.get_logger("tests.retry")


def test_failures_are_logged_with_a_doubling_wait_up_to_the_cap_until_it_works() -> None:
    failures = [ConnectionError("refused"), TimeoutError(), OSError("down"), ConnectionError("refused")]

    async def attempt() -> str:
        if failures:
            raise failures.pop(0)
        return "connected"

    with capture_logs() as logs:
        result = asyncio.run(retry_forever(attempt, "test.failed", log=log, first=0.01, cap=0.03, url="nats://x"))
    assert result == "connected"
    assert logs == [
        {"event": "test.failed", "log_level": "warning", "url": "nats://x", "error": error, "retry_in": wait}
        for error, wait in (("refused", 0.01), ("TimeoutError", 0.02), ("down", 0.03), ("refused", 0.03))
    ]


def test_the_error_is_explained_by_the_callers_own_function() -> None:
    tries = []

    async def attempt() -> None:
        tries.append(1)
        if len(tries) == 1:
            raise PermissionError("authorization violation")

    with capture_logs() as logs:
        asyncio.run(retry_forever(attempt, "test.failed", log=log, first=0.01, cap=1, explain=lambda e: f"<{e}>"))
    assert [entry["error"] for entry in logs] == ["<authorization violation>"]


def test_cancelling_the_task_ends_the_wait_and_a_cancelled_attempt_is_not_retried() -> None:
    async def never() -> None:
        raise ConnectionError("refused")

    async def cancelled_while(attempt_or_wait: str) -> None:
        async def blocked() -> None:
            await asyncio.Event().wait()

        attempt = blocked if attempt_or_wait == "attempt" else never
        task = asyncio.create_task(retry_forever(attempt, "test.failed", log=log, first=60, cap=60))
        await asyncio.sleep(0.05)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await asyncio.wait_for(task, timeout=5)

    with capture_logs() as logs:
        asyncio.run(cancelled_while("attempt"))
        asyncio.run(cancelled_while("wait"))
    assert [entry["retry_in"] for entry in logs] == [60]
