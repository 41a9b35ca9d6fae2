"""What every SMS gateway adapter offers, and the errors it raises.

A gateway's ``send`` either returns the gateway's own reference for the
message or raises one of these, which tell the dispatcher what to do next::

    GatewayError                  something went wrong at ``gateway``
    ├── MessageRejected           this message will never go out (invalid number, ...):
    │                             not retried, not sent through another gateway
    ├── GatewayUnavailable        the gateway did not take it (refused connection, 5xx,
    │   │                         429, bad credentials): try the next gateway, retry later
    │   └── RateLimited           429 or "throttled"; ``retry_after`` is honoured
    └── OutcomeUnknown            the request reached the gateway but no answer came back
                                  (read timeout, dropped connection, 502/504): it may
                                  have been sent; look it up before anything else

    LookupFailed                  ``lookup`` could not tell right now (retry later)
    LookupUnsupported             this gateway offers no way to find a message

``lookup`` returns the reference of a message the gateway accepted since a
given moment, or None when it can prove there is none.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from shared.redaction import scrub

__all__ = [
    "SmsMessage",
    "Gateway",
    "GatewayError",
    "MessageRejected",
    "GatewayUnavailable",
    "RateLimited",
    "OutcomeUnknown",
    "LookupFailed",
    "LookupUnsupported",
]


@dataclass(frozen=True)
class SmsMessage:
    """One text to one number; ``delivery_id`` correlates the gateway's callbacks."""

    to: str
    body: str
    idempotency_key: str
    delivery_id: str
    segments: int = 1


class Gateway(Protocol):
    #: the name used in BRUG_SMS_GATEWAY and recorded with each delivery.
    name: str
    #: True when sending the same message again (same idempotency key) cannot text twice.
    idempotent: bool

    async def send(self, message: SmsMessage) -> str:
        """Hand the message over; return the gateway's reference or raise a :class:`GatewayError`."""
        ...

    async def lookup(self, message: SmsMessage, since: datetime, known: Collection[str] = ()) -> str | None:
        """The reference of this message if the gateway took it at or after ``since``, else None.

        ``known``: references the notifier already holds for other messages; a gateway that can only
        match by recipient and time must not take one of those for this message.
        """
        ...


class GatewayError(Exception):
    """The base: ``gateway`` names who failed; the message says what a person can check.

    Gateways quote the number back in some errors ("The 'To' number +316... is
    not valid"); the text is scrubbed here, so no error, log line or stored
    ``last_error`` carries one.
    """

    permanent = False

    def __init__(self, gateway: str, message: str) -> None:
        super().__init__(f"{gateway}: {scrub(message)}")
        self.gateway = gateway


class MessageRejected(GatewayError):
    """The gateway refused this message for good; another try or gateway will not help."""

    permanent = True


class GatewayUnavailable(GatewayError):
    """The gateway did not take the message; ``retry_after`` (seconds) is its own hint, if any."""

    def __init__(self, gateway: str, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(gateway, message)
        self.retry_after = retry_after


class RateLimited(GatewayUnavailable):
    """Too many requests: slow down for ``retry_after`` seconds when the gateway says so."""


class OutcomeUnknown(GatewayError):
    """The request may have been accepted: only a lookup can tell whether to send again."""


class LookupFailed(Exception):
    """A lookup could not be answered now (the gateway is down, or the answer was unclear)."""


class LookupUnsupported(Exception):
    """The gateway offers no way to find out whether a message was sent."""
