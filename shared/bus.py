"""The NATS connection and the streams every service relies on.

A service must start, and answer ``/readyz`` with 503, while NATS is down;
so :class:`Bus` connects in the background, reconnects forever, and
provisions the streams, and the consumers its stream's readers fetch from,
each time it (re)connects. The relay and consumers wait on :meth:`Bus.wait_ready`.
"""

from __future__ import annotations

import asyncio
import ssl
import time
from collections.abc import Sequence
from typing import Any

import nats
import structlog
from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy, DiscardPolicy, StorageType, StreamConfig

from shared.events import STREAMS
from shared.natsauth import OWN_STREAM, inbox_prefix, readers_of
from shared.retry import describe, retry_forever
from shared.settings import CommonSettings

__all__ = [
    "cancel_until_done",
    "raise_if_cancelled",
    "Bus",
    "credentials",
    "stream_configs",
    "consumer_config",
    "makes_own_consumers",
    "DEADLETTER_STREAM",
    "deadletter_subject",
]

log = structlog.get_logger("shared.bus")

DEADLETTER_STREAM = "DEADLETTER"


def deadletter_subject(consumer: str, subject: str) -> str:
    return f"deadletter.{consumer}.{subject}"


def stream_configs(settings: CommonSettings) -> list[StreamConfig]:
    """SCHEDULING, NOTIFY, FEEDBACK and DEADLETTER: file storage, limits from settings."""
    common: dict[str, Any] = {
        "storage": StorageType.FILE,
        "num_replicas": settings.stream_replicas,
        "max_age": settings.stream_max_age_days * 86400,
        "max_bytes": settings.stream_max_bytes,
        "duplicate_window": settings.duplicate_window_seconds,
        "discard": DiscardPolicy.OLD,
    }
    configs = [StreamConfig(name=name, subjects=[f"{prefix}.>"], **common) for name, prefix in STREAMS.items()]
    configs.append(StreamConfig(name=DEADLETTER_STREAM, subjects=["deadletter.>"], **common))
    return configs


def consumer_config(reader: str, filter_subjects: list[str], settings: CommonSettings) -> ConsumerConfig:
    """The durable pull consumer ``reader`` fetches from, letting through ``filter_subjects``."""
    return ConsumerConfig(
        durable_name=reader,
        deliver_policy=DeliverPolicy.ALL,
        ack_policy=AckPolicy.EXPLICIT,
        ack_wait=settings.consumer_ack_wait_seconds,
        max_deliver=-1,
        max_ack_pending=1000,
        filter_subjects=sorted(filter_subjects),
    )


def makes_own_consumers(settings: CommonSettings) -> bool:
    """Whether a reader makes its consumer itself: only without a Brug NATS user (the test harness, a
    server without users). With one, its stream's producer makes it (shared/natsauth.py)."""
    return not settings.nats_nkey_seed


#: a connection down this long, not reconnecting on its own, is replaced by a new one; longer
#: than a server restart takes, so an ordinary outage is ridden out by nats-py's own reconnects.
STUCK_SECONDS = 15.0


def credentials(settings: CommonSettings, name: str) -> dict[str, Any]:
    """nats.connect's arguments that say who this process is, and which server it trusts.

    With a seed, replies come to the service's own inbox prefix: the only one its user may
    subscribe to (shared/natsauth.py).
    """
    options: dict[str, Any] = {}
    if settings.nats_nkey_seed:
        options["nkeys_seed_str"] = settings.nats_nkey_seed
        if name in OWN_STREAM:
            options["inbox_prefix"] = inbox_prefix(name)
    if settings.nats_tls_ca_file:
        options["tls"] = ssl.create_default_context(cafile=settings.nats_tls_ca_file)
    return options


def _explain(error: BaseException) -> str:
    text = describe(error)
    if "authorization" in text.lower():
        return f"{text}: the server does not accept this service's BRUG_NATS_NKEY_SEED (or none was set)"
    return text


def raise_if_cancelled() -> None:
    """Raise the cancellation nats-py swallowed: its ``flush`` (connecting, binding, fetching and
    publishing go through it) catches a CancelledError that lands in it, and the task carries on with
    ``cancelling()`` still counting it. Called at the top of every loop that talks to NATS, so a service
    that is stopping stops its loops however the cancellation landed."""
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError


async def cancel_until_done(tasks: Sequence[asyncio.Task[Any]]) -> None:
    """Cancel ``tasks`` and wait for them, cancelling again those that go on: nats-py swallows a
    cancellation that lands in its ``flush`` (part of connecting and of JetStream calls), after which a
    task would carry on and a service's shutdown would wait on it without end. Only for tasks that
    hold nothing to finish: a loop that drains when cancelled would be cut short."""
    while pending := [task for task in tasks if not task.done()]:
        for task in pending:
            task.cancel()
        await asyncio.wait(pending, timeout=0.05)
    for task in tasks:  # what they raised is theirs to log; retrieved so asyncio does not complain
        if not task.cancelled():
            task.exception()


class Bus:
    """One NATS connection per service process."""

    def __init__(self, settings: CommonSettings, name: str) -> None:
        self.settings = settings
        self.name = name
        self.nc: Client | None = None
        self._js: JetStreamContext | None = None
        self._ready = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    @property
    def js(self) -> JetStreamContext:
        if self._js is None:
            raise RuntimeError("NATS is not connected yet")
        return self._js

    @property
    def connected(self) -> bool:
        return self.nc is not None and self.nc.is_connected

    @property
    def ready(self) -> bool:
        """Connected, and the streams have been provisioned."""
        return self._ready.is_set() and self.connected

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=f"{self.name}-nats-connect")

    async def _run(self) -> None:
        await self._connect_forever()
        await self._watch()

    async def _watch(self) -> None:
        """Replace a connection that stays down: nats-py reconnects by itself, but a client whose
        cluster node was killed was seen (tests/cluster) to stay disconnected for good while the
        other clients moved to the surviving nodes."""
        down_since: float | None = None
        while True:
            raise_if_cancelled()
            await asyncio.sleep(1.0)
            old = self.nc
            if old is None or old.is_connected:
                down_since = None
                continue
            down_since = down_since or time.monotonic()
            if time.monotonic() - down_since < STUCK_SECONDS:
                continue
            log.warning("bus.replacing_connection", down_seconds=round(time.monotonic() - down_since))
            self._ready.clear()
            self.nc, self._js, down_since = None, None, None
            try:
                await asyncio.wait_for(old.close(), timeout=5)
            except Exception as error:  # noqa: BLE001 - it is being thrown away
                log.warning("bus.close_failed", error=str(error) or type(error).__name__)
            await self._connect_forever()

    async def wait_ready(self) -> None:
        await self._ready.wait()

    async def _connect_forever(self) -> None:
        """Connect and provision, waiting 0.2 s after a failure, doubled each time up to 5 s."""
        await retry_forever(self._connect, "bus.connect_failed", log=log, first=0.2, cap=5.0, explain=_explain)
        log.info("bus.connected", url=self.settings.nats_url)

    async def _connect(self) -> None:
        # made before connecting, so a refused connection (a wrong key) can be closed: nats.connect
        # would leave its socket open on every retry.
        self.nc = Client()
        try:
            await self.nc.connect(
                self.settings.nats_servers,
                name=f"brug-{self.name}",
                max_reconnect_attempts=-1,
                reconnect_time_wait=0.5,  # type: ignore[arg-type]  # nats-py annotates int; it is handed to asyncio.sleep
                connect_timeout=2,
                allow_reconnect=True,
                reconnected_cb=self._on_reconnected,
                disconnected_cb=self._on_disconnected,
                error_cb=self._on_error,
                **credentials(self.settings, self.name),
            )
            self._js = self.nc.jetstream(timeout=5)
            await self.ensure_streams()
        except Exception:
            await self.nc.close()
            self.nc = None
            raise
        self._ready.set()

    async def ensure_streams(self) -> None:
        """Create the streams, or bring their limits in line with the settings.

        A service changes the limits only of its own stream and the dead letters (all its NATS
        user may do); another's stream it creates if missing, for its owner to adjust.
        """
        own = {OWN_STREAM[self.name], DEADLETTER_STREAM} if self.name in OWN_STREAM else None
        for config in stream_configs(self.settings):
            try:
                await self.js.add_stream(config)
            except nats.js.errors.BadRequestError:
                if own is None or config.name in own:
                    await self.js.update_stream(config)
        if self.name in OWN_STREAM:
            await self.ensure_readers_consumers(OWN_STREAM[self.name])

    async def ensure_readers_consumers(self, stream: str) -> None:
        """Make, or bring in line, the consumer of each service that reads ``stream``, with the filter
        shared/natsauth.py's READS gives it: readers may not make or change their own."""
        for reader, subjects in readers_of(stream).items():
            await self.js.add_consumer(stream, consumer_config(reader, subjects, self.settings))

    async def _on_disconnected(self) -> None:
        log.warning("bus.disconnected")

    async def _on_reconnected(self) -> None:
        log.info("bus.reconnected")

    async def _on_error(self, error: Exception) -> None:
        log.warning("bus.error", error=_explain(error))

    async def close(self) -> None:
        if self._task is not None:
            await cancel_until_done([self._task])
        # close, not drain: the relay and consumers are stopped by now, every publish
        # was awaited to its ack, and an unacked message is redelivered anyway.
        if self.nc is not None and not self.nc.is_closed:
            await self.nc.close()
