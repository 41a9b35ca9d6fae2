"""HTTP plumbing the gateways share: the client's limits and timeouts, and failures as GatewayErrors.

One ``httpx.AsyncClient`` serves every gateway in a notifier process (made in
the dispatcher's start-up, closed at shutdown), so connections to a gateway
are kept alive between messages. httpx does not scale to many concurrent
requests (../shared/MEASURED.md: it collapses at 64 concurrent clients), so
the pool is small and the dispatcher sends at most :data:`MAX_CONCURRENT_SENDS`
messages at a time; waiting for a free connection is not a gateway failure.

Whether a failed request may have been acted on decides what happens next:
a request that never left (no connection) is safe to send elsewhere; one the
gateway received but did not answer may have been sent.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from notifier.gateways.base import GatewayError, GatewayUnavailable, MessageRejected, OutcomeUnknown, RateLimited
from shared.tls import client_context

__all__ = ["MAX_CONCURRENT_SENDS", "make_client", "call", "status_error", "retry_after"]

#: messages sent at once per notifier process; well below where httpx degrades.
MAX_CONCURRENT_SENDS = 10
#: connections kept per process, shared by sends and lookups.
MAX_CONNECTIONS = 20
#: how long a request may wait for a free pooled connection (the concurrency cap keeps this short).
POOL_WAIT_SECONDS = 30.0


def make_client(failover_seconds: float) -> httpx.AsyncClient:
    """The process's one client: explicit timeouts, a small pool, no redirects followed.

    httpx logs every request's full URL at INFO; a lookup's URL carries the
    recipient's number percent-encoded (``To=%2B316...``), which the log
    scrubber does not recognise, so httpx is kept to warnings.
    """
    logging.getLogger("httpx").setLevel(logging.WARNING)
    timeout = httpx.Timeout(
        connect=min(failover_seconds, 5.0), read=failover_seconds, write=failover_seconds, pool=POOL_WAIT_SECONDS
    )
    limits = httpx.Limits(max_connections=MAX_CONNECTIONS, max_keepalive_connections=MAX_CONNECTIONS // 2)
    return httpx.AsyncClient(
        timeout=timeout, limits=limits, follow_redirects=False, headers={"User-Agent": "brug"}, verify=client_context()
    )


async def call(
    client: httpx.AsyncClient, gateway: str, method: str, url: str, *, deadline: float, **kwargs: Any
) -> httpx.Response:
    """One request, answered within ``deadline`` seconds, or a GatewayError saying whether it may have arrived."""
    try:
        async with asyncio.timeout(deadline):
            return await client.request(method, url, **kwargs)
    except (httpx.ConnectError, httpx.ConnectTimeout) as error:
        raise GatewayUnavailable(gateway, f"cannot connect to {httpx.URL(url).host} ({type(error).__name__})") from None
    except httpx.PoolTimeout:
        raise GatewayUnavailable(gateway, "no free connection in this notifier's pool") from None
    except (TimeoutError, httpx.TimeoutException):
        raise OutcomeUnknown(gateway, f"no answer within {deadline:g} s; it may have been sent") from None
    except httpx.HTTPError as error:
        # a dropped connection after the request went out (RemoteProtocolError, ReadError, WriteError, ...)
        raise OutcomeUnknown(gateway, f"connection lost before an answer ({type(error).__name__})") from None


def retry_after(response: httpx.Response) -> float | None:
    """The Retry-After header in seconds (it may be a number or an HTTP date), or None."""
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def status_error(gateway: str, response: httpx.Response, detail: str) -> GatewayError:
    """The error an unsuccessful HTTP status means, whatever the gateway.

    502 and 504 come from a proxy in front of the gateway that lost the
    answer: the gateway behind it may have sent the message. Other 5xx and
    429 say the gateway did not take it. 401/403/404 are this notifier's
    configuration (credentials, account, URL), which another gateway may not
    share. Any other 4xx is about the message itself.
    """
    status = response.status_code
    text = f"HTTP {status}: {detail}" if detail else f"HTTP {status}"
    if status == 429:
        return RateLimited(gateway, text, retry_after=retry_after(response))
    if status in (502, 504):
        return OutcomeUnknown(gateway, f"{text}; it may have been sent")
    if status >= 500 or status == 408:
        return GatewayUnavailable(gateway, text, retry_after=retry_after(response))
    if status in (401, 403):
        return GatewayUnavailable(gateway, f"{text}; check this gateway's credentials")
    if status == 404:
        return GatewayUnavailable(gateway, f"{text}; check this gateway's base URL and account")
    return MessageRejected(gateway, text)
