"""The FastAPI base every service is built on.

:func:`create_service_app` wires what all three share, once: the database
engine and migrations, the NATS bus, the outbox relay and the consumers
(started and stopped in the app's lifespan, never at import), ``/healthz``,
``/readyz``, ``/metrics``, the correlation id, the access log without query
strings, and the error rendering.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Annotated, Any

import structlog
from fastapi import APIRouter, Depends, FastAPI, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import Engine
from sqlmodel import Session

from shared import auth, migrate
from shared.bus import Bus
from shared.consumer import Consumer, Handler, consumers_for
from shared.context import HEADER, correlation_id, new_correlation_id
from shared.db import make_engine, ping, transaction
from shared.errors import BrugError, render_error
from shared.events import Payload
from shared.jwks import keep_verifier_fresh
from shared.metrics import HTTP_LATENCY, HTTP_REQUESTS
from shared.outbox import Relay, has_pending
from shared.settings import CommonSettings

__all__ = ["Runtime", "create_service_app", "DbDep", "runtime_of"]

log = structlog.get_logger("shared.web")

Worker = Callable[["Runtime"], Any]
#: runs once at start-up, after the migrations and before the loops start (e.g. seed data).
StartupHook = Callable[["Runtime"], Awaitable[None]]

#: requests that only read: on SQLite they do not take the write lock.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

#: how long /readyz waits for the database before it reports it unavailable.
READY_TIMEOUT = 5.0


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
    return request.app.state.runtime  # type: ignore[no-any-return]


def get_db(request: Request) -> Iterator[Session]:
    """One transaction per request; commits before the response, then wakes the relay."""
    runtime = runtime_of(request)
    with transaction(runtime.engine, read_only=request.method in SAFE_METHODS) as session:
        yield session
        pending = has_pending(session)
    if pending:
        runtime.relay.wake()


#: scope="function": the commit finishes before the response is sent, so a client that
#: got 201 can read what it wrote, and a failed commit is an error, not a false success.
DbDep = Annotated[Session, Depends(get_db, scope="function")]


def create_service_app(
    *,
    name: str,
    settings: CommonSettings,
    database_url: str,
    routers: Sequence[APIRouter] = (),
    handlers: Mapping[type[Payload], Handler] | None = None,
    workers: Sequence[Worker] = (),
    on_startup: Sequence[StartupHook] = (),
    title: str | None = None,
    staff_keys_url: str | None = None,
) -> FastAPI:
    """A service app; ``workers`` are extra background loops started with it, ``on_startup``
    hooks are awaited once, in order, after the migrations (a failing hook stops start-up).

    ``staff_keys_url``: the scheduler's JWKS, for a service whose routes check staff
    tokens (shared.auth); the keys are loaded, and refreshed, in the background.
    """
    loops = list(workers)
    if staff_keys_url is not None:

        async def load_staff_keys(_runtime: Runtime) -> None:
            await keep_verifier_fresh(app, staff_keys_url)

        loops.append(load_staff_keys)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runtime = await _start(name, settings, database_url, handlers or {}, loops, on_startup)
        app.state.runtime = runtime
        try:
            yield
        finally:
            await _stop(runtime)

    app = FastAPI(title=title or f"Brug {name}", lifespan=lifespan, version="0.1.0")
    app.add_exception_handler(BrugError, render_error)
    app.middleware("http")(_observe(name))
    app.include_router(_operations_router())
    for router in routers:
        app.include_router(router)
    if staff_keys_url is not None:
        auth.install(app)
        app.state.checks_staff_tokens = True
    return app


async def _start(
    name: str,
    settings: CommonSettings,
    database_url: str,
    handlers: Mapping[type[Payload], Handler],
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


def _observe(service: str) -> Callable[..., Any]:
    async def middleware(request: Request, call_next: Callable[..., Any]) -> Response:
        cid = request.headers.get(HEADER) or new_correlation_id()
        token = correlation_id.set(cid)
        structlog.contextvars.bind_contextvars(correlation_id=cid)
        started = time.perf_counter()
        try:
            response: Response = await call_next(request)
        finally:
            structlog.contextvars.unbind_contextvars("correlation_id")
            correlation_id.reset(token)
        route = getattr(request.scope.get("route"), "path", "unmatched")
        elapsed = time.perf_counter() - started
        HTTP_REQUESTS.labels(service, request.method, route, str(response.status_code)).inc()
        HTTP_LATENCY.labels(service, request.method, route).observe(elapsed)
        response.headers[HEADER] = cid
        if route not in ("/healthz", "/readyz", "/metrics"):
            log.info(
                "http.request",
                method=request.method,
                route=route,
                status=response.status_code,
                ms=round(elapsed * 1000, 1),
                correlation_id=cid,
            )
        return response

    return middleware


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
