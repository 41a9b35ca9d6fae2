"""How long a delivery waits before its next try.

Exponential (base, 2×base, 4×base, ... up to a cap) with jitter, so that the
messages a gateway outage held back do not all return in the same second;
never sooner than a gateway's own Retry-After.
"""

from __future__ import annotations

import random
from collections.abc import Callable

__all__ = ["retry_delay"]


def retry_delay(
    attempt: int,
    *,
    base: float,
    cap: float,
    retry_after: float | None = None,
    rng: Callable[[], float] = random.random,
) -> float:
    """Seconds to wait after failed try number ``attempt`` (1 for the first).

    The jitter keeps at least half of the exponential delay ("equal jitter"),
    so a retry is never almost immediate; a ``retry_after`` the gateway asked
    for wins when it is longer.
    """
    exponential: float = min(cap, base * 2 ** max(attempt - 1, 0))
    jittered = exponential / 2 + rng() * exponential / 2
    return max(jittered, retry_after or 0.0)
