"""Moving a service's clock in a test instead of sleeping (shared.clock says how and why)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import FastAPI

from shared.clock import Clock

__all__ = ["clock_of", "advance", "back_then", "until_started", "set_clock", "EARLY_2025", "EARLY_2026"]

#: "now" for tests written on fixed dates (the 2026 DST days, weekdays of December 2026, a month of
#: hours in March 2026): the scheduler's clock is set before them, as when those sessions were planned.
EARLY_2026 = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
#: the same for tests that also plan a session in January 2025 (one already over by the 2026 dates).
EARLY_2025 = datetime(2025, 1, 1, 9, 0, tzinfo=UTC)


def clock_of(service: FastAPI | Clock) -> Clock:
    """The clock of a service served in this process (a ThreadedServer's ``app``), or ``service`` itself
    (a System's clock, which its processes read from a file)."""
    return service if isinstance(service, Clock) else service.state.runtime.settings.clock  # type: ignore[no-any-return]


def advance(service: FastAPI | Clock, delta: timedelta) -> None:
    """Move ``service``'s clock ``delta`` forward (backward when negative)."""
    clock_of(service).advance(delta)


def set_clock(service: FastAPI | Clock, moment: datetime) -> None:
    """Make it ``moment`` now for ``service``; its clock runs on from there."""
    clock_of(service).set(moment)


def until_started(service: FastAPI | Clock, session: dict[str, Any]) -> None:
    """Move ``service``'s clock to a second after ``session`` (an API answer) started, so it may be completed
    (no later: sessions planned after it must still be ahead on that clock)."""
    starts = datetime.fromisoformat(session["starts_at"])
    starts = starts if starts.tzinfo else starts.replace(tzinfo=UTC)
    now = clock_of(service).now()
    if now < starts:
        advance(service, starts - now + timedelta(seconds=1))


@contextmanager
def back_then(service: FastAPI | Clock, moment: datetime) -> Iterator[None]:
    """Within the block it is ``moment`` for ``service`` (to plan a session that is over by now, as it
    was planned before it ran); after it, the clock is where it was."""
    clock = clock_of(service)
    was = clock.now()
    clock.set(moment)
    try:
        yield
    finally:
        clock.advance(was - clock.now())
