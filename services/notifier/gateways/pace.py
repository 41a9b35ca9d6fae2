"""How fast one notifier process may call a gateway: a steady pace, and a pause after a 429.

Real gateways cap messages per second per account or sender and answer
429 beyond it. :class:`Pace` hands out send slots at most ``1/rate`` seconds
apart, whoever asks: the dispatcher's concurrent sends share one pace per
gateway, so together they never exceed the rate (no bursts). A 429 with
``Retry-After`` pauses the gateway: no call is made to it until the pause
ends, and sends meanwhile go to the next gateway or wait for a retry.

The limit holds per process; with several notifier replicas, give each
the gateway's rate divided by their number.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

__all__ = ["Pace"]


class Pace:
    """Slots for one gateway; ``rate`` messages per second, 0 for no limit."""

    def __init__(
        self,
        rate: float = 0.0,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self._clock, self._sleep = clock, sleep
        self._next = 0.0
        self._last_call = float("-inf")
        self._paused_until = 0.0
        self._calling = asyncio.Lock()

    def paused_for(self) -> float:
        """Seconds left of a pause the gateway asked for (0 when not paused)."""
        return max(0.0, self._paused_until - self._clock())

    def pause(self, seconds: float) -> None:
        """No calls for ``seconds`` from now (a longer pause already running stays)."""
        self._paused_until = max(self._paused_until, self._clock() + seconds)

    async def turn(self) -> None:
        """Wait for this caller's slot. Reserving is synchronous, so concurrent callers queue up."""
        if not self.interval:
            return
        now = self._clock()
        slot = max(now, self._next)
        self._next = slot + self.interval
        if slot > now:
            await self._sleep(slot - now)

    async def spaced(self) -> None:
        """Right before the call: wait until ``1/rate`` after the previous call began.

        A send takes its :meth:`turn` before it checks the opt-outs and
        records its attempt, so that nothing but that check stands between
        the turn and the call; a check that took longer for one send than
        for the next would otherwise bring their calls closer than the pace.
        Callers go one at a time and each call is timed from when the one
        before really began: on a busy machine a sleep can end late, and
        timing from the planned moment would let the next call follow it
        too closely.
        """
        if not self.interval:
            return
        async with self._calling:
            wait = self._last_call + self.interval - self._clock()
            if wait > 0:
                await self._sleep(wait)
            self._last_call = self._clock()
