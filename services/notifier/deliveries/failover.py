"""Sending through the gateways in order, and reading what each failure means.

The first gateway in ``BRUG_SMS_GATEWAY`` is tried first. A gateway that did
not take the message (:class:`GatewayUnavailable`: no connection, 5xx, 429,
credentials) hands it to the next one at once. A refusal of the message
itself (:class:`MessageRejected`) ends the round: another gateway would
refuse it too, or, for a number that opted out at the gateway, must not send
it. A call whose outcome is unknown (:class:`OutcomeUnknown`: slower than
``BRUG_SMS_FAILOVER_SECONDS``, a dropped connection) also ends the round: the
gateway may have sent it, so it is looked up there (after
``BRUG_SMS_RECONCILE_DELAY_SECONDS``, letting a late request land) before
the next gateway is tried; see :func:`reconcile`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from notifier.gateways import (
    Gateway,
    GatewayError,
    GatewayUnavailable,
    LookupFailed,
    LookupUnsupported,
    MessageRejected,
    SmsMessage,
)

__all__ = [
    "Sent",
    "Refused",
    "TryLater",
    "InDoubt",
    "Outcome",
    "send_in_order",
    "after",
    "Found",
    "Absent",
    "CannotTell",
    "Unverifiable",
    "reconcile",
]


@dataclass(frozen=True)
class Sent:
    gateway: str
    ref: str


@dataclass(frozen=True)
class Refused:
    """Refused for good: not retried, not failed over."""

    gateway: str
    reason: str


@dataclass(frozen=True)
class TryLater:
    """No gateway took it; ``retry_after`` is the longest wait a gateway asked for."""

    reason: str
    retry_after: float | None = None


@dataclass(frozen=True)
class InDoubt:
    """``gateway`` may have sent it."""

    gateway: str
    reason: str


Outcome = Sent | Refused | TryLater | InDoubt


async def send_in_order(
    gateways: Sequence[Gateway], message: SmsMessage, record_attempt: Callable[[str], Awaitable[None]]
) -> Outcome:
    """Try each gateway in turn; ``record_attempt(name)`` is awaited (and committed) before each call."""
    unavailable: list[GatewayUnavailable] = []
    for gateway in gateways:
        await record_attempt(gateway.name)
        try:
            ref = await gateway.send(message)
        except MessageRejected as error:
            return Refused(gateway.name, str(error))
        except GatewayUnavailable as error:
            unavailable.append(error)
            continue
        except GatewayError as error:  # OutcomeUnknown, or a kind this loop does not know: assume it went out
            return InDoubt(gateway.name, str(error))
        return Sent(gateway.name, ref)
    waits = [e.retry_after for e in unavailable if e.retry_after is not None]
    return TryLater("; ".join(str(e) for e in unavailable) or "no gateway configured", max(waits, default=None))


def after(gateways: Sequence[Gateway], name: str) -> list[Gateway]:
    """The order once ``name`` proved slow or broken: those after it, then those before, then itself."""
    names = [g.name for g in gateways]
    if name not in names:
        return list(gateways)
    i = names.index(name)
    return [*gateways[i + 1 :], *gateways[: i + 1]]


@dataclass(frozen=True)
class Found:
    ref: str


@dataclass(frozen=True)
class Absent:
    """The gateway shows no such message: it is safe to send."""


@dataclass(frozen=True)
class CannotTell:
    """The lookup failed for now; ask again later."""

    reason: str


@dataclass(frozen=True)
class Unverifiable:
    """The gateway cannot say; the message is not sent again."""

    reason: str


async def reconcile(
    gateway: Gateway, message: SmsMessage, since: datetime
) -> Found | Absent | CannotTell | Unverifiable:
    """Ask ``gateway`` whether it took ``message`` in the attempt that began at ``since``."""
    try:
        ref = await gateway.lookup(message, since)
    except LookupUnsupported as error:
        return Unverifiable(str(error))
    except LookupFailed as error:
        return CannotTell(str(error))
    return Found(ref) if ref else Absent()
