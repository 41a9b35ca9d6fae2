"""Trying again until it works, with a doubling wait: the one shape of Brug's reconnect loops.

What a service waits for comes back on its own after an outage (NATS, the scheduler's
public keys, the outbox's publishes), so a failure is logged and tried again, never
raised; tenacity does the counting and the waiting. The first wait is ``first`` seconds,
each next one twice the last, up to ``cap``; there is no jitter. Each failure is logged
as ``event`` with the error and ``retry_in``. Cancelling the task (the app stopping)
ends the wait at once: only an ``Exception`` is retried.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from structlog.typing import FilteringBoundLogger
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception_type, stop_never, wait_exponential

__all__ = ["retry_forever", "describe"]

T = TypeVar("T")


def describe(error: BaseException) -> str:
    """An error as a log line shows it: its message, or its class when it has none."""
    return str(error) or type(error).__name__


async def retry_forever(
    attempt: Callable[[], Awaitable[T]],
    event: str,
    *,
    log: FilteringBoundLogger,
    first: float,
    cap: float,
    explain: Callable[[BaseException], str] = describe,
    **fields: Any,
) -> T:
    """What ``attempt`` returns, once it returns; each failure logged with ``fields`` before the wait."""

    def log_failure(state: RetryCallState) -> None:
        assert state.outcome is not None and state.next_action is not None  # tenacity sets both before a sleep
        error = state.outcome.exception()
        assert error is not None  # only a failed attempt is retried
        log.warning(event, **fields, error=explain(error), retry_in=state.next_action.sleep)

    retrying = AsyncRetrying(
        retry=retry_if_exception_type(Exception),
        wait=wait_exponential(multiplier=first, max=cap),
        stop=stop_never,
        before_sleep=log_failure,
    )
    return await retrying(attempt)
