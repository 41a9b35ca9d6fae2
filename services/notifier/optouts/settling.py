"""Answering a STOP only once no SMS can still go out to that number: waiting for sends under way.

A send checks the opt-outs in the transaction that records its attempt at a gateway (while
preparing its text, ``deliveries.service.prepare_in``, or right before a later call,
``deliveries.outcomes.record_attempt``) and calls the gateway as soon as that commits. A STOP
recorded in between cannot hold that call back any more, and the message would reach the phone
after the STOP was answered (seen once: bench/RESULTS.md, "A text after its STOP"). So the
STOP's answer waits until every SMS whose call may be under way when it was recorded, at any
notifier, has left its claim (sent, put back, skipped, failed). Any other send checks after the
STOP committed and sees it.

No record is kept of which number a send goes to (only a keyed hash would do, and it would
outlive the contact's purge on every delivery row); the price is also waiting for the few other
calls under way. A claim older than the lease belongs to a process that died or is taken over:
no check lets a call go ahead in the last part of a lease (``service.callable_since``), so a
live sender has called by then, and a claim taken over is prepared again and skipped.
"""

from __future__ import annotations

import asyncio
import time
from datetime import datetime, timedelta

from sqlalchemy import Engine

from notifier.deliveries import repository
from shared.events import utcnow
from shared.unit_of_work import UnitOfWork

__all__ = ["sends_settled"]

#: seconds between looks at the claims still open.
POLL = 0.05


async def sends_settled(engine: Engine, *, lease_seconds: float, at_most: float) -> int:
    """Wait until the SMS whose call may be under way now have each left their claim; how many had
    not after ``at_most`` seconds (a gateway call lasts ``BRUG_SMS_FAILOVER_SECONDS`` at most)."""
    deadline = time.monotonic() + at_most
    alive_since = utcnow() - timedelta(seconds=lease_seconds)
    waiting = await asyncio.to_thread(_under_way, engine, alive_since, None)
    while waiting and (left := deadline - time.monotonic()) > 0:
        await asyncio.sleep(min(POLL, left))
        still = await asyncio.to_thread(_under_way, engine, alive_since, waiting)
        waiting = {key: attempt for key, attempt in still.items() if waiting[key] == attempt}
    return len(waiting)


def _under_way(engine: Engine, alive_since: datetime, among: dict[str, int] | None) -> dict[str, int]:
    with UnitOfWork(engine, read_only=True) as db:
        return repository.sms_under_way(db, alive_since, among)
