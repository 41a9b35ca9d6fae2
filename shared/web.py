"""The FastAPI base every service is built on.

:func:`create_service_app` wires what all three share, once: the database
engine and migrations, the NATS bus, the outbox relay and the consumers
(started and stopped in the app's lifespan, never at import), ``/healthz``,
``/readyz``, ``/metrics``, the correlation id, the access log without query
strings (and none at all for :func:`unobserved` routes), the error rendering (a 422
never echoes what was sent), and the security headers and body limit (shared.hardening).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

import structlog
from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import Engine
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared import auth, migrate, revocations
from shared.bus import Bus
from shared.consumer import Consumer, Handler, by_event, consumers_for
from shared.context import HEADER, correlation_id, new_correlation_id
from shared.db import make_engine, ping
from shared.dead_letters.retention import dead_letter_retention
from shared.errors import UNPROCESSABLE, BrugError, render_error, render_validation
from shared.hardening import Harden
from shared.jwks import keep_verifier_fresh
from shared.metrics import HTTP_LATENCY, HTTP_REQUESTS
from shared.natsauth import READS
from shared.outbox import Relay
from shared.settings import CommonSettings

__all__ = ["Runtime", "create_service_app", "runtime_of", "unobserved"]

log = structlog.get_logger("shared.web")

T = TypeVar("T")

Worker = Callable[["Runtime"], Any]
#: runs once at start-up, after the migrations and before the loops start (e.g. seed data).
StartupHook = Callable[["Runtime"], Awaitable[None]]

#: how long /readyz waits for the database before it reports it unavailable.
READY_TIMEOUT = 5.0

E = TypeVar("E", bound=Callable[..., Any])


def unobserved(endpoint: E) -> E:
    """Mark a route that must leave no trace per request: no access-log line, no metrics.

    For the routes an anonymous answer passes through: a timestamped line (or a counter that a
    scraper samples every few seconds) per answer would give each answer its time of day.
    """
    endpoint.__brug_unobserved__ = True  # type: ignore[attr-defined]  # a mark on the function, read back with getattr
    return endpoint


@dataclass
class Runtime:
    """What a running service holds: built in the lifespan, kept on ``app.state.runtime``."""

    name: str
    settings: CommonSettings
    engine: Engine
    bus: Bus
    relay: Relay
    consumers: list[Consumer] = field(default_factory=list)
    tasks: list[asyncio.Task[Any]] = field(default_factory=list)


def runtime_of(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime  # app.state holds anything; build_app puts the Runtime there
    return runtime


def create_service_app(
    *,
    name: str,
    settings: CommonSettings,
    database_url: str,
    routers: Sequence[APIRouter] = (),
    handlers: Sequence[Handler] = (),
    workers: Sequence[Worker] = (),
    on_startup: Sequence[StartupHook] = (),
    title: str | None = None,
    staff_keys_url: str | None = None,
) -> FastAPI:
    """A service app; ``workers`` are extra background loops started with it (beside the outbox relay,
    the consumers and the dead letters' retention, which every service runs), ``on_startup``
    hooks are awaited once, in order, after the migrations (a failing hook stops start-up).

    ``staff_keys_url``: the scheduler's JWKS, for a service whose routes check staff
    tokens (shared.auth); the keys are loaded, and refreshed, in the background, and
    the service keeps a revocation list of deactivated accounts (shared.revocations:
    its database needs the ``account_revocation`` table).
    """
    loops = [*workers, dead_letter_retention]
    if staff_keys_url is not None:
        handlers = [*handlers, revocations.on_account_deactivated]

        async def load_staff_keys(_runtime: Runtime) -> None:
            await keep_verifier_fresh(app, staff_keys_url)

        loops.append(load_staff_keys)
    _check_reads(name, handlers)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runtime = await _start(name, settings, database_url, handlers, loops, on_startup)
        app.state.runtime = runtime
        try:
            yield
        finally:
            await _stop(runtime)

    # /docs and /redoc load Swagger UI and ReDoc from a CDN: off unless BRUG_API_DOCS (development);
    # /openapi.json stays, for clients and the contract tests.
    docs = settings.api_docs
    app = FastAPI(
        title=title or f"Brug {name}",
        lifespan=lifespan,
        version="0.1.0",
        responses=UNPROCESSABLE,
        docs_url="/docs" if docs else None,
        redoc_url="/redoc" if docs else None,
        swagger_ui_oauth2_redirect_url="/docs/oauth2-redirect" if docs else None,
    )
    app.add_exception_handler(BrugError, render_error)
    app.add_exception_handler(RequestValidationError, render_validation)
    app.add_middleware(Harden, max_body_bytes=settings.max_body_bytes)
    app.add_middleware(_Observe, service=name)
    app.include_router(_operations_router())
    for router in routers:
        app.include_router(router)
    if staff_keys_url is not None:
        auth.install(app)
        revocations.install(app)
        app.state.checks_staff_tokens = True
    return app


def _check_reads(name: str, handlers: Sequence[Handler]) -> None:
    """A service handles exactly what shared/natsauth.py's READS says it reads: the producer makes its
    consumer with that filter, so an event handled here but not declared there would never arrive.
    (The handled events are the handlers' ``event`` annotations; two handlers for one are refused.)"""
    handled = {event.type for event in by_event(handlers)}
    if name not in READS:
        return
    declared = {e.type for e in READS[name]}
    if handled != declared:
        raise RuntimeError(
            f"{name} handles {sorted(handled - declared)} not in shared/natsauth.py READS[{name!r}], and "
            f"READS lists {sorted(declared - handled)} it does not handle: make them the same"
        )


async def _start(
    name: str,
    settings: CommonSettings,
    database_url: str,
    handlers: Sequence[Handler],
    workers: Sequence[Worker],
    on_startup: Sequence[StartupHook],
) -> Runtime:
    engine = make_engine(database_url)
    await asyncio.to_thread(migrate.upgrade, engine, name)
    bus = Bus(settings, name)
    relay = Relay(engine, bus, poll_seconds=settings.outbox_poll_seconds, batch_size=settings.outbox_batch_size)
    runtime = Runtime(name=name, settings=settings, engine=engine, bus=bus, relay=relay)
    try:
        for hook in on_startup:
            await hook(runtime)
    except BaseException:
        engine.dispose()
        raise
    bus.start()
    runtime.consumers = consumers_for(name, handlers, engine=engine, bus=bus, settings=settings)
    loops = [relay.run(), *(c.run() for c in runtime.consumers), *(w(runtime) for w in workers)]
    runtime.tasks = [asyncio.create_task(loop) for loop in loops]
    for task in runtime.tasks:
        task.add_done_callback(_report_crash)
    log.info("service.started", name=name)
    return runtime


async def _stop(runtime: Runtime) -> None:
    # Cancelled once: a loop may take the cancellation as "stop when the call under way has ended"
    # (the notifier's dispatcher drains so), and cancelling again would cut that short.
    for task in runtime.tasks:
        task.cancel()
    await asyncio.gather(*runtime.tasks, return_exceptions=True)
    # A cancelled loop may still have a database call running in a worker thread;
    # let it finish and return its connection before the pool is disposed.
    await asyncio.get_running_loop().shutdown_default_executor()
    await runtime.bus.close()
    runtime.engine.dispose()
    log.info("service.stopped", name=runtime.name)


def _report_crash(task: asyncio.Task[Any]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("service.loop_crashed", task=task.get_name(), error=repr(task.exception()))


class _Observe:
    """Correlation id, metrics and the access log for each HTTP request.

    A plain ASGI middleware rather than ``@app.middleware("http")``: Starlette's
    BaseHTTPMiddleware runs every request through an extra task and memory
    stream, which cost the booking path about a tenth of its time (py-spy).
    """

    def __init__(self, app: ASGIApp, service: str) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        cid = headers.get(HEADER.lower().encode(), b"").decode("latin-1") or new_correlation_id()
        token = correlation_id.set(cid)
        structlog.contextvars.bind_contextvars(correlation_id=cid)
        started = time.perf_counter()
        status = 500

        async def observed_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)[HEADER] = cid
            await send(message)

        try:
            await self.app(scope, receive, observed_send)
        finally:
            structlog.contextvars.unbind_contextvars("correlation_id")
            correlation_id.reset(token)
            self._record(scope, status, time.perf_counter() - started, cid)

    def _record(self, scope: Scope, status: int, elapsed: float, cid: str) -> None:
        if getattr(getattr(scope.get("route"), "endpoint", None), "__brug_unobserved__", False):
            return
        route = getattr(scope.get("route"), "path", "unmatched")
        method = scope["method"]
        HTTP_REQUESTS.labels(self.service, method, route, str(status)).inc()
        HTTP_LATENCY.labels(self.service, method, route).observe(elapsed)
        if route not in ("/healthz", "/readyz", "/metrics"):
            log.info(
                "http.request",
                method=method,
                route=route,
                status=status,
                ms=round(elapsed * 1000, 1),
                correlation_id=cid,
            )


def _staff_keys_state(app: FastAPI) -> dict[str, str]:
    """Whether staff routes can check tokens yet. Informational only: the public pages
    (a feedback form, a booking link) must stay up while the scheduler is away."""
    if not getattr(app.state, "checks_staff_tokens", False):
        return {}
    return {"staff_keys": "loaded" if auth.has_verifier(app) else "waiting for the scheduler's JWKS"}


def _operations_router() -> APIRouter:
    router = APIRouter(tags=["operations"])

    @router.get("/healthz")
    async def healthz() -> dict[str, str]:
        """The process is alive (it answers); says nothing about its dependencies."""
        return {"status": "ok"}

    @router.get("/readyz")
    async def readyz(request: Request) -> JSONResponse:
        """Ready to serve: the database answers and NATS is connected; 503 names what is not."""
        runtime = runtime_of(request)
        problems: list[str] = []
        try:
            await asyncio.wait_for(asyncio.to_thread(ping, runtime.engine), timeout=READY_TIMEOUT)
        except TimeoutError:
            problems.append(f"database: no answer within {READY_TIMEOUT:g} s (locked or unreachable)")
        except Exception as error:  # noqa: BLE001 - any failure means not ready
            problems.append(f"database: {type(error).__name__}: {error}".splitlines()[0])
        if not runtime.bus.ready:
            problems.append(f"nats: not connected to {runtime.settings.nats_url}")
        if problems:
            return JSONResponse({"status": "unavailable", "problems": problems}, status_code=503)
        return JSONResponse({"status": "ready", **_staff_keys_state(request.app)})

    @router.get("/metrics")
    async def metrics() -> Response:
        """Prometheus text format."""
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return router
