"""The real client of a request one Brug service makes for a person: a header only services can sign.

The notifier's and the feedback service's staff pages sign people in through
the scheduler, a call from server to server; without more, the scheduler's
per-client sign-in limit would count every person behind that service as
one client, and ten wrong passwords a minute from anyone would lock everyone
out of those pages. So the calling service names the person's address in
``X-Brug-Client``, signed with ``BRUG_SERVICE_SECRET``, which the services
share and nobody else holds::

    X-Brug-Client: 203.0.113.7;1796617298;<hex HMAC-SHA256 of the address and the time>

The scheduler believes the address only when the signature is right and the
time is within :data:`MAX_AGE_SECONDS` of its own clock; anything else
(unsigned, signed with another secret, altered, stale) is ignored and the
caller is counted as itself. Someone who reads the traffic between the
services could replay a header for that minute: it only ever names a
person's address, so replayed it counts their guesses against that person.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, SecretStr

from shared.settings import check_secret

__all__ = ["HEADER", "MAX_AGE_SECONDS", "ServiceSecret", "sign", "verify"]

HEADER = "X-Brug-Client"
#: how far the signing service's clock and the scheduler's may be apart, and how long a header lives.
MAX_AGE_SECONDS = 60


def _mac(secret: str, address: str, stamp: int) -> str:
    message = f"brug forwarded client\n{address}\n{stamp}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def sign(secret: str, address: str, now: float) -> str:
    """The header value naming ``address`` at ``now`` (seconds since the epoch)."""
    stamp = int(now)
    return f"{address};{stamp};{_mac(secret, address, stamp)}"


def verify(secret: str, value: str, now: float) -> str | None:
    """The address ``value`` names, if a holder of ``secret`` signed it within the last minute; else None."""
    parts = value.strip().split(";")
    if len(parts) != 3 or not parts[1].isascii() or not parts[1].isdigit():
        return None
    address, stamp = parts[0], int(parts[1])
    if abs(now - stamp) > MAX_AGE_SECONDS or not hmac.compare_digest(_mac(secret, address, stamp), parts[2]):
        return None
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def _blank_is_unset(value: object) -> object:
    """``BRUG_SERVICE_SECRET=`` left empty in a .env file means: not set."""
    return None if isinstance(value, str) and not value.strip() else value


def _strong(value: SecretStr | None) -> SecretStr | None:
    if value is not None:
        if len(value.get_secret_value()) < 32:
            raise ValueError("must be at least 32 characters, the same on every service")
        check_secret(value.get_secret_value())
    return value


#: ``BRUG_SERVICE_SECRET`` in a service's settings: unset, no header is signed (proxies) or believed (scheduler).
ServiceSecret = Annotated[SecretStr | None, BeforeValidator(_blank_is_unset), AfterValidator(_strong)]
