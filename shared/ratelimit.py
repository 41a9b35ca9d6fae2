"""Rate limits for public routes: so many requests per client per minute (or hour), per family of routes.

A family is a name shared by the routes that guard one secret (``feedback-code``
for every route that takes a feedback code, ``sign-in``, ``registration``...),
so a client cannot spread its guesses over them. Wire it once in the app
factory, then guard routes with a dependency::

    app = create_service_app(...)
    ratelimit.install(app, settings)

    @router.post("/auth/token", dependencies=[Depends(rate_limited("sign-in", per_minute=10))])

    # count only wrong guesses, so people behind one address (a reception
    # centre's Wi-Fi) are not stopped by each other's right answers:
    GuessLimit = Depends(rate_limited("feedback-code", per_minute=20, failures=(FormNotFound,)))

The window slides: a client may make ``per_minute`` counted requests in any
60 seconds; the next one gets ``429`` with ``Retry-After`` (whole seconds
until the oldest counted request leaves the window) and
``{"error": "TooManyRequests", "detail": ...}``. A family may count per hour
instead (``per_hour``), and per client *and* path parameter (``scope``): the
``registration-per-session`` family lets a client register a few times for
each session an hour, so one client cannot take a session's seats and
waiting list, without holding up its registrations elsewhere::

    Depends(rate_limited("registration-per-session", per_hour=5, scope="session_id"))
 A request in flight takes
a place at once (so concurrent guesses cannot overshoot the limit) and, with
``failures``, gives it back unless it ends in one of those errors.

The client is ``request.client.host``; behind a reverse proxy, list the
proxy in ``BRUG_RATE_LIMIT_TRUSTED_PROXIES`` and the client is then read from
``BRUG_RATE_LIMIT_CLIENT_HEADER`` (by default ``X-Forwarded-For``), the
rightmost address that is not itself a trusted proxy. A header from anyone
else is ignored, so it cannot be forged to dodge the limit. (uvicorn itself
believes ``X-Forwarded-For`` from 127.0.0.1, its ``--forwarded-allow-ips``
default, before this sees the request: a proxy on the same host needs no
setting here.) A Brug service that passes a person's request on (the staff
pages sign in through the scheduler) names the person in ``X-Brug-Client``,
signed with ``BRUG_SERVICE_SECRET``; a limiter given that secret counts the
person named, and ignores the header when its signature is not right
(shared.forwarded_client). :func:`client_of` is the address to name.

Settings (``CommonSettings``): ``BRUG_RATE_LIMIT_PER_MINUTE`` (JSON: family →
limit, overriding the route's, counted in the family's own window: per hour for
an hourly family; 0 turns a family off) and the two above.

State is in memory, per process: with N replicas behind a load balancer a
client may get up to N times the limit, and a restart forgets it. Memory is
bounded: at most the limit's count of times per client (and scope), and at
most ``MAX_CLIENTS`` of them per family (idle ones are dropped first).

Errors::

    BrugError
    └── TooManyRequests   429 + Retry-After
"""

from __future__ import annotations

import ipaddress
import math
import threading
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass, field

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from shared import forwarded_client
from shared.errors import BrugError
from shared.settings import CommonSettings

__all__ = [
    "TooManyRequests",
    "SlidingWindow",
    "RateLimiter",
    "install",
    "limiter_of",
    "rate_limited",
    "Attempt",
    "counted_attempt",
    "client_address",
    "client_of",
    "WINDOW_SECONDS",
    "HOUR_SECONDS",
    "MAX_CLIENTS",
]

WINDOW_SECONDS = 60.0
HOUR_SECONDS = 3600.0
#: clients remembered per family; beyond it the idle ones, then the oldest, are forgotten.
MAX_CLIENTS = 100_000

_STATE_KEY = "rate_limiter"

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class TooManyRequests(BrugError):
    """A client passed a route family's limit; it may try again after ``retry_after`` seconds."""

    status_code = 429

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


@dataclass
class SlidingWindow:
    """The times of each client's counted requests in the last ``window`` seconds."""

    limit: int
    window: float = WINDOW_SECONDS
    max_clients: int = MAX_CLIENTS
    hits: dict[str, deque[float]] = field(default_factory=dict)

    def take(self, client: str, now: float) -> float | None:
        """Count a request at ``now``; or, when the client is at its limit, the seconds it must wait."""
        times = self.hits.get(client)
        if times is None:
            self._make_room()
            times = self.hits[client] = deque()
        while times and times[0] <= now - self.window:
            times.popleft()
        if len(times) >= self.limit:
            return times[0] + self.window - now
        times.append(now)
        return None

    def give_back(self, client: str, at: float) -> None:
        """Uncount the request taken at ``at`` (it turned out not to be a guess)."""
        times = self.hits.get(client)
        if times is not None and at in times:
            times.remove(at)

    def _make_room(self) -> None:
        if len(self.hits) < self.max_clients:
            return
        newest = max((t[-1] for t in self.hits.values() if t), default=0.0)
        for client in [c for c, t in self.hits.items() if not t or t[-1] <= newest - self.window]:
            del self.hits[client]
        while len(self.hits) >= self.max_clients:  # all active: forget the longest known
            del self.hits[next(iter(self.hits))]


class RateLimiter:
    """Every family's window for one app, with a clock tests may set."""

    def __init__(
        self,
        overrides: dict[str, int] | None = None,
        trusted_proxies: Iterable[str] = (),
        client_header: str = "X-Forwarded-For",
        clock: Callable[[], float] = time.monotonic,
        service_secret: str | None = None,
    ) -> None:
        self.overrides = dict(overrides or {})
        self.trusted: list[Network] = [ipaddress.ip_network(p, strict=False) for p in trusted_proxies]
        self.client_header = client_header
        self.clock = clock
        #: with it, a request another Brug service signed for a person counts as that person's.
        self.service_secret = service_secret
        self._windows: dict[str, SlidingWindow] = {}
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: CommonSettings, *, service_secret: str | None = None) -> RateLimiter:
        """With ``service_secret``, believe the services' signed X-Brug-Client (the scheduler does)."""
        return cls(
            settings.rate_limit_per_minute,
            settings.rate_limit_trusted_proxies,
            settings.rate_limit_client_header,
            service_secret=service_secret,
        )

    def limit(self, family: str, per_minute: int) -> int:
        """The family's limit: the setting when it names the family, else the route's."""
        return self.overrides.get(family, per_minute)

    def take(self, family: str, client: str, per_minute: int, *, window: float = WINDOW_SECONDS) -> float:
        """Count a request (and return its time), or raise :class:`TooManyRequests`.

        ``per_minute`` is the count allowed in ``window`` seconds (a minute unless told)."""
        limit = self.limit(family, per_minute)
        with self._lock:
            now = self.clock()
            if limit <= 0:
                return now
            counted = self._windows.get(family)
            if counted is None or counted.limit != limit or counted.window != window:
                counted = self._windows[family] = SlidingWindow(limit, window)
            wait = counted.take(client, now)
        if wait is not None:
            seconds = max(1, math.ceil(wait))
            raise TooManyRequests(f"Too many tries from your connection. {_wait(seconds)}", retry_after=seconds)
        return now

    def give_back(self, family: str, client: str, at: float) -> None:
        with self._lock:
            window = self._windows.get(family)
            if window is not None:
                window.give_back(client, at)

    def client(self, request: Request) -> str:
        """The person a request counts for: the one a service signed for, else the peer or its proxy's client."""
        signed = request.headers.get(forwarded_client.HEADER)
        if signed and self.service_secret:
            named = forwarded_client.verify(self.service_secret, signed, time.time())
            if named is not None:
                return named
        return client_address(request, self.trusted, self.client_header)


def _wait(seconds: int) -> str:
    """How long to wait, in words a person reads at a glance: seconds up to two minutes, then minutes."""
    if seconds <= 120:
        return f"Wait {seconds} seconds, then try again."
    return f"Wait {math.ceil(seconds / 60)} minutes, then try again."


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_address(request: Request, trusted: list[Network], header: str) -> str:
    """The client's address: the peer's, or, when the peer is a trusted proxy, from its header."""
    peer = request.client.host if request.client else "unknown"
    peer_ip = _address(peer)
    if not trusted or peer_ip is None or not any(peer_ip in net for net in trusted):
        return peer
    forwarded = [a for a in (_address(p) for p in request.headers.get(header, "").split(",")) if a is not None]
    for address in reversed(forwarded):
        if not any(address in net for net in trusted):
            return str(address)
    return str(forwarded[0]) if forwarded else peer


def client_of(request: Request, settings: CommonSettings) -> str:
    """The address of the person behind ``request``, as this service's limiter counts it (with
    ``settings``' trusted proxies where no limiter is installed): what a service names when it passes
    the request on."""
    limiter: RateLimiter | None = getattr(request.app.state, _STATE_KEY, None)
    if limiter is None:
        return client_address(request, RateLimiter.from_settings(settings).trusted, settings.rate_limit_client_header)
    return limiter.client(request)


async def _render(request: Request, error: Exception) -> Response:
    """JSON for the API; for a page (a route left out of OpenAPI, on an app with the page kit),
    a page in the visitor's language, so a person sees words, not a JSON body."""
    assert isinstance(error, TooManyRequests)
    route = request.scope.get("route")
    if getattr(request.app.state, "pages", None) is not None and not getattr(route, "include_in_schema", True):
        from shared.pages.kit import too_many_tries  # the page kit needs this module, not the other way

        response: Response = too_many_tries(request, error.retry_after)
    else:
        response = JSONResponse({"error": "TooManyRequests", "detail": error.detail}, status_code=429)
    response.headers["Retry-After"] = str(error.retry_after)
    return response


def install(app: FastAPI, settings: CommonSettings, limiter: RateLimiter | None = None) -> RateLimiter:
    """Give ``app`` a limiter built from ``settings`` and render 429s; call it once, in the app factory."""
    app.add_exception_handler(TooManyRequests, _render)
    installed = limiter or RateLimiter.from_settings(settings)
    setattr(app.state, _STATE_KEY, installed)
    return installed


def limiter_of(app: FastAPI) -> RateLimiter:
    limiter: RateLimiter | None = getattr(app.state, _STATE_KEY, None)
    if limiter is None:
        raise RuntimeError("rate_limited() routes need shared.ratelimit.install(app, settings) in the app factory")
    return limiter


def rate_limited(
    family: str,
    *,
    per_minute: int | None = None,
    per_hour: int | None = None,
    failures: tuple[type[BaseException], ...] = (),
    scope: str | None = None,
) -> Callable[[Request], AsyncIterator[None]]:
    """A dependency that limits each client to ``per_minute`` requests of ``family`` a minute (or
    ``per_hour`` an hour: give one of them).

    With ``scope`` (a path parameter's name), each value of it is counted apart: a client's
    registrations for one session do not use up its registrations for another.
    With ``failures``, only requests that end in one of those errors count
    (each takes its place while in flight, so concurrency cannot overshoot).
    It is an async generator although it never awaits: the state is in
    memory, and a plain generator would cost two hops through the thread
    pool on every request of the busiest public routes.
    """
    if (per_minute is None) == (per_hour is None):
        raise ValueError(f"rate_limited({family!r}): give per_minute or per_hour, not both or neither")
    limit, window = (per_minute, WINDOW_SECONDS) if per_minute is not None else (per_hour, HOUR_SECONDS)
    assert limit is not None
    if limit < 0:
        raise ValueError(f"rate_limited({family!r}): the limit must be 0 (off) or more, got {limit}")

    async def dependency(request: Request) -> AsyncIterator[None]:
        limiter = limiter_of(request.app)
        client = limiter.client(request)
        if scope is not None:
            client = f"{client} {request.path_params.get(scope, '')}"
        taken = limiter.take(family, client, limit, window=window)
        if not failures:
            yield
            return
        try:
            yield
        except failures:
            raise
        except BaseException:
            limiter.give_back(family, client, taken)
            raise
        else:
            limiter.give_back(family, client, taken)

    return dependency


@dataclass
class Attempt:
    """One counted try at a secret, for a route that answers a wrong one itself (a page showing
    "not found") rather than by raising: it stays counted unless the route calls :meth:`succeeded`."""

    limiter: RateLimiter
    family: str
    client: str
    taken: float

    def succeeded(self) -> None:
        self.limiter.give_back(self.family, self.client, self.taken)


def counted_attempt(family: str, *, per_minute: int) -> Callable[[Request], Awaitable[Attempt]]:
    """A dependency giving the route an :class:`Attempt` of ``family`` (429 when over the limit)."""

    async def dependency(request: Request) -> Attempt:
        limiter = limiter_of(request.app)
        client = limiter.client(request)
        return Attempt(limiter, family, client, limiter.take(family, client, per_minute))

    return dependency
