"""Answering a STOP only once no SMS can still go out to that number: waiting for sends under way.

A send checks the opt-outs while it prepares its text (``deliveries.service.prepare_in``) and
calls the gateway after that transaction commits. A STOP recorded in between cannot hold that
call back any more, and the message would reach the phone after the STOP was answered: it
happened in a cluster run, 24-160 ms after the answer. So the STOP's answer waits until every
SMS claimed at the moment it was recorded, by any notifier, has left its claim (sent, put back,
skipped, failed). Whatever is claimed later prepares after the STOP committed and sees it.

No record is kept of which number a send goes to (only a keyed hash would do, and it would
outlive the contact's purge on every delivery row); the price is also waiting for the few other
SMS under way, a gateway call or two. A claim older than the lease belongs to a process that
died: it calls nobody, and when it is taken over it is prepared again and skipped.
"""

from __future__ import annotations

import asyncio
import time
from datetime import datetime, timedelta

from sqlalchemy import Engine

from notifier.deliveries import repository
from shared.db import transaction
from shared.events import utcnow

__all__ = ["AT_MOST", "sends_settled"]

#: seconds a STOP's answer waits at most: Twilio gives up on a webhook after 15. The opt-out is
#: committed before the wait, so a send slower than this can only be one already past its check.
AT_MOST = 10.0

#: seconds between looks at the claims still open.
POLL = 0.02


async def sends_settled(engine: Engine, *, lease_seconds: float, at_most: float = AT_MOST) -> int:
    """Wait until the SMS claimed now have each left their claim; how many had not after ``at_most``."""
    deadline = time.monotonic() + at_most
    alive_since = utcnow() - timedelta(seconds=lease_seconds)
    waiting = await asyncio.to_thread(_under_way, engine, alive_since, None)
    while waiting and (left := deadline - time.monotonic()) > 0:
        await asyncio.sleep(min(POLL, left))
        still = await asyncio.to_thread(_under_way, engine, alive_since, waiting)
        waiting = {key: attempt for key, attempt in still.items() if waiting[key] == attempt}
    return len(waiting)


def _under_way(engine: Engine, alive_since: datetime, among: dict[str, int] | None) -> dict[str, int]:
    with transaction(engine, read_only=True) as db:
        return repository.sms_under_way(db, alive_since, among)
