"""Recording what a claimed delivery's gateway calls came to, each with its event when final.

Every function writes only while the claim holds (``service.held``), so a
status callback that already moved the delivery on is never overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session

from notifier.deliveries import repository
from notifier.deliveries.backoff import retry_delay
from notifier.deliveries.models import DeliveryStatus
from notifier.deliveries.service import OPTED_OUT, Claim, LeaseLost, announce, announce_sent, held, put_back, skip
from notifier.optouts import repository as optouts
from shared.events import utcnow
from shared.unit_of_work import UnitOfWork

__all__ = ["Policy", "record_attempt", "sent", "sent_in", "refused", "retry", "wait", "in_doubt", "unconfirmed"]


@dataclass(frozen=True)
class Policy:
    """How long to wait and how often to try, from the settings."""

    max_attempts: int
    backoff_seconds: float
    backoff_max_seconds: float
    reconcile_delay_seconds: float


def record_attempt(
    engine: Engine,
    claim: Claim,
    gateway: str,
    *,
    number_hash: str | None = None,
    claimed_since: datetime | None = None,
) -> bool:
    """Before a gateway call: which gateway, since when, and that its outcome is not yet known.

    With ``number_hash``, the opt-outs are checked again in the same
    transaction (time has passed since the text was prepared: a gateway's
    pace, one that failed): False, and the delivery skipped, when the number
    opted out meanwhile. ``claimed_since`` as for service.held.
    """
    with UnitOfWork(engine) as db:
        delivery = held(db, claim, claimed_since=claimed_since)
        if number_hash is not None and optouts.get(db, number_hash) is not None:
            skip(db, delivery, OPTED_OUT)
            return False
        delivery.gateway, delivery.attempted_at, delivery.in_doubt = gateway, utcnow(), True
        db.add(delivery)
        return True


def sent(engine: Engine, claim: Claim, gateway: str, gateway_ref: str, segment_count: int) -> None:
    """:func:`sent_in` in a transaction of its own."""
    with UnitOfWork(engine) as db:
        sent_in(db, claim, gateway, gateway_ref, segment_count)


def sent_in(db: Session, claim: Claim, gateway: str, gateway_ref: str, segment_count: int) -> None:
    """The gateway took it. One conditional UPDATE (the claim must still hold) and its event: the
    commonest outcome by far, so it skips loading the row (bench/fanout.py)."""
    if not repository.mark_sent(db, claim.delivery_id, claim.attempts, gateway, gateway_ref[:100], segment_count):
        raise LeaseLost(claim.delivery_id)
    announce_sent(db, claim, segment_count)


def refused(engine: Engine, claim: Claim, reason: str) -> None:
    """Refused for good (or unreadable contact details): ``failed``, never retried."""
    _final(engine, claim, DeliveryStatus.FAILED, reason, in_doubt=False)


def unconfirmed(engine: Engine, claim: Claim, reason: str) -> None:
    """A gateway may have sent it and cannot be asked: never sent again."""
    _final(engine, claim, DeliveryStatus.UNCONFIRMED, reason, in_doubt=True)


def retry(
    engine: Engine,
    claim: Claim,
    reason: str,
    policy: Policy,
    *,
    retry_after: float | None = None,
    clear_doubt: bool = False,
) -> None:
    """Not sent this time: try again after a backoff, or give up after the last attempt.

    ``clear_doubt`` when every gateway said it did not take the message.
    Otherwise the ``in_doubt`` flag is left as it is: a retry after an
    unforeseen error still reconciles first if a call was under way, and one
    that runs out of attempts while in doubt ends ``unconfirmed``.
    """
    with UnitOfWork(engine) as db:
        delivery = held(db, claim)
        delivery.last_error, delivery.claimed_at = reason[:500], None
        if clear_doubt:
            delivery.in_doubt = False
        if delivery.attempts >= policy.max_attempts:
            delivery.status = DeliveryStatus.UNCONFIRMED if delivery.in_doubt else DeliveryStatus.FAILED
            announce(db, delivery)
        else:
            delay = retry_delay(
                delivery.attempts,
                base=policy.backoff_seconds,
                cap=policy.backoff_max_seconds,
                retry_after=retry_after,
            )
            delivery.status, delivery.due_at = DeliveryStatus.PENDING, utcnow() + timedelta(seconds=delay)
        db.add(delivery)


def wait(engine: Engine, claim: Claim, reason: str, seconds: float, *, clear_doubt: bool = True) -> None:
    """No gateway was called (each was paused after a 429): due again when the pause ends, no attempt spent.

    ``clear_doubt`` unless an earlier call is still in doubt (an idempotent gateway not yet asked again).
    """
    with UnitOfWork(engine) as db:
        delivery = held(db, claim)
        delivery.last_error = reason[:500]
        if clear_doubt:
            delivery.in_doubt = False
        put_back(db, delivery, utcnow() + timedelta(seconds=seconds), refund=True)


def in_doubt(engine: Engine, claim: Claim, gateway: str, reason: str, policy: Policy) -> None:
    """``gateway`` may have sent it: look it up there after the reconcile delay, before anything else."""
    with UnitOfWork(engine) as db:
        delivery = held(db, claim)
        delivery.status, delivery.claimed_at, delivery.in_doubt = DeliveryStatus.PENDING, None, True
        delivery.gateway, delivery.last_error = gateway, reason[:500]
        delivery.due_at = utcnow() + timedelta(seconds=policy.reconcile_delay_seconds)
        db.add(delivery)


def _final(engine: Engine, claim: Claim, status: str, reason: str, *, in_doubt: bool) -> None:
    with UnitOfWork(engine) as db:
        delivery = held(db, claim)
        delivery.status, delivery.claimed_at, delivery.last_error = status, None, reason[:500]
        delivery.in_doubt = in_doubt
        db.add(delivery)
        announce(db, delivery)
