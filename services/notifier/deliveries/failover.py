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

from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from notifier.gateways import (
    Gateway,
    GatewayError,
    GatewayUnavailable,
    LookupFailed,
    LookupUnsupported,
    MessageRejected,
    RateLimited,
    SmsMessage,
)
from notifier.gateways.pace import Pace

__all__ = [
    "Sent",
    "Refused",
    "TryLater",
    "InDoubt",
    "Stopped",
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
    """No gateway took it; ``retry_after`` is the longest wait a gateway asked for.

    ``called`` is False when no gateway was called at all (each was paused):
    that costs the delivery no attempt.
    """

    reason: str
    retry_after: float | None = None
    called: bool = True


@dataclass(frozen=True)
class InDoubt:
    """``gateway`` may have sent it."""

    gateway: str
    reason: str


@dataclass(frozen=True)
class Stopped:
    """Not sent: the check before calling ``gateway`` said no (the number opted out meanwhile, and the
    delivery was skipped with it)."""

    gateway: str


Outcome = Sent | Refused | TryLater | InDoubt | Stopped


async def send_in_order(
    gateways: Sequence[Gateway],
    message: SmsMessage,
    before_call: Callable[[str], Awaitable[bool]],
    paces: Mapping[str, Pace] | None = None,
    ready: str | None = None,
) -> Outcome:
    """Try each gateway in turn; ``before_call(name)`` is awaited (and committed) right before each call,
    and when it answers False nothing more is sent (:class:`Stopped`).

    With ``paces``, each call waits for its gateway's slot first; a gateway
    paused after a 429 is passed over as unavailable, and a 429 with
    ``Retry-After`` pauses it for that long. ``ready`` names a first gateway
    whose turn the caller has just taken and whose attempt it has recorded
    with the opt-out check: that call follows at once.
    """
    unavailable: list[GatewayUnavailable] = []
    called = False
    for position, gateway in enumerate(gateways):
        pace = (paces or {}).get(gateway.name)
        if pace is not None and (paused := _paused(pace, gateway.name)):
            unavailable.append(paused)  # nothing recorded, nothing sent
            continue
        if position > 0 or gateway.name != ready:
            if pace is not None:
                await pace.turn()
                if paused := _paused(pace, gateway.name):
                    unavailable.append(paused)  # a 429 came back to another send meanwhile
                    continue
            if not await before_call(gateway.name):  # after the wait, so nothing stands between check and call
                return Stopped(gateway.name)
        if pace is not None:
            await pace.spaced()
            if paused := _paused(pace, gateway.name):  # a 429 came back to another send just now
                unavailable.append(paused)
                continue
        called = True
        try:
            ref = await gateway.send(message)
        except MessageRejected as error:
            return Refused(gateway.name, str(error))
        except GatewayUnavailable as error:
            if pace is not None and isinstance(error, RateLimited) and error.retry_after:
                pace.pause(error.retry_after)
            unavailable.append(error)
            continue
        except GatewayError as error:  # OutcomeUnknown, or a kind this loop does not know: assume it went out
            return InDoubt(gateway.name, str(error))
        return Sent(gateway.name, ref)
    waits = [e.retry_after for e in unavailable if e.retry_after is not None]
    reason = "; ".join(str(e) for e in unavailable) or "no gateway configured"
    return TryLater(reason, max(waits, default=None), called=called or not unavailable)


def _paused(pace: Pace, name: str) -> RateLimited | None:
    """A :class:`RateLimited` while the gateway is paused after a 429, else None."""
    if left := pace.paused_for():
        return RateLimited(name, f"paused for {left:.1f} s more after it answered 429", retry_after=left)
    return None


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
    gateway: Gateway, message: SmsMessage, since: datetime, known: Collection[str] = ()
) -> Found | Absent | CannotTell | Unverifiable:
    """Ask ``gateway`` whether it took ``message`` in the attempt that began at ``since``;
    ``known`` are references already recorded for other messages, which are not this one."""
    try:
        ref = await gateway.lookup(message, since, known)
    except LookupUnsupported as error:
        return Unverifiable(str(error))
    except LookupFailed as error:
        return CannotTell(str(error))
    return Found(ref) if ref else Absent()
