"""Idempotent JetStream consumers: apply once, ack after commit, dead-letter poison.

A service declares handlers as ``{PayloadClass: function(session, envelope)}``.
For each stream it reads, one durable pull consumer named after the service
is shared by all its replicas, so a replica adds throughput, not duplicates.

For each message:

1. Parse it. Malformed, or a version this service does not read: dead-letter
   with the reason, ack, go on.
2. In one transaction: skip if the event id is in the inbox; else run the
   handler and insert the id. Commit, then ack.
3. A handler that raises is retried with the backoff from settings (``nak``
   with a delay); after ``consumer_max_deliver`` tries the message goes to
   ``deadletter.<consumer>.<subject>`` with the reason, and is acked so the
   consumer moves on. The server itself never drops a message (max_deliver
   is unlimited there): a dead letter is only ever written by us.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping

import nats.errors
import nats.js.errors
import structlog
from nats.aio.msg import Msg
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from shared.bus import DEADLETTER_STREAM, Bus, deadletter_subject
from shared.context import NATS_HEADER, correlation_id
from shared.db import transaction
from shared.events import Envelope, EventRejected, Payload, parse_event, stream_of
from shared.metrics import EVENTS_CONSUMED, EVENTS_DEAD_LETTERED
from shared.settings import CommonSettings
from shared.tables import DeadLetter, InboxMessage

__all__ = ["Handler", "Consumer", "consumers_for"]

log = structlog.get_logger("shared.consumer")

Handler = Callable[[Session, Envelope], None]


class Consumer:
    """One durable pull consumer on one stream, applying a set of handlers."""

    def __init__(
        self,
        *,
        name: str,
        stream: str,
        handlers: Mapping[tuple[str, int], Handler],
        engine: Engine,
        bus: Bus,
        settings: CommonSettings,
    ) -> None:
        self.name = name
        self.stream = stream
        self.handlers = dict(handlers)
        self.engine = engine
        self.bus = bus
        self.settings = settings

    @property
    def config(self) -> ConsumerConfig:
        return ConsumerConfig(
            durable_name=self.name,
            deliver_policy=DeliverPolicy.ALL,
            ack_policy=AckPolicy.EXPLICIT,
            ack_wait=self.settings.consumer_ack_wait_seconds,
            max_deliver=-1,
            max_ack_pending=1000,
            filter_subjects=sorted({event_type for event_type, _ in self.handlers}),
        )

    async def run(self) -> None:
        await self.bus.wait_ready()
        subscription = None
        while True:
            try:
                if subscription is None:
                    await self.bus.js.add_consumer(self.stream, self.config)
                    subscription = await self.bus.js.pull_subscribe_bind(self.name, self.stream)
                messages = await subscription.fetch(self.settings.consumer_batch_size, timeout=1)
            except nats.errors.TimeoutError:
                continue
            except Exception as error:  # noqa: BLE001 - NATS away: wait, then subscribe again
                log.warning("consumer.fetch_failed", consumer=self.name, error=str(error) or type(error).__name__)
                subscription = await _drop(subscription)
                await asyncio.sleep(0.5)
                continue
            for message in messages:
                await self.handle(message)

    async def handle(self, message: Msg) -> None:
        """Apply one message and settle it; never raises for a bad message."""
        token = correlation_id.set((message.headers or {}).get(NATS_HEADER))
        try:
            await self._handle(message)
        except Exception as error:  # noqa: BLE001 - NATS hiccup while settling: it is redelivered
            log.warning("consumer.settle_failed", consumer=self.name, error=str(error) or type(error).__name__)
        finally:
            correlation_id.reset(token)

    async def _handle(self, message: Msg) -> None:
        try:
            envelope = parse_event(message.data)
        except EventRejected as error:
            await self.dead_letter(message, str(error), event_id=None)
            return
        handler = self.handlers.get((envelope.type, envelope.version))
        if handler is None:
            known = sorted(v for t, v in self.handlers if t == envelope.type)
            reason = f"{self.name} reads {envelope.type} versions {known}, not {envelope.version}"
            await self.dead_letter(message, reason, event_id=envelope.id)
            return
        correlation_id.set(envelope.correlation_id)
        try:
            applied = await asyncio.to_thread(self._apply, envelope, handler)
        except Exception as error:  # noqa: BLE001 - the handler's failure decides retry or dead letter
            await self._failed(message, envelope, error)
            return
        await message.ack()
        EVENTS_CONSUMED.labels(self.name, envelope.type, "applied" if applied else "duplicate").inc()
        log.info("consumer.applied" if applied else "consumer.duplicate", type=envelope.type, event_id=envelope.id)

    def _apply(self, envelope: Envelope, handler: Handler) -> bool:
        try:
            with transaction(self.engine) as session:
                if session.get(InboxMessage, envelope.id) is not None:
                    return False
                handler(session, envelope)
                session.add(InboxMessage(event_id=envelope.id, consumer=self.name, subject=envelope.subject))
        except IntegrityError:
            # Another replica applied it at the same moment; its inbox row won.
            with transaction(self.engine) as session:
                if session.get(InboxMessage, envelope.id) is not None:
                    return False
            raise
        return True

    async def _failed(self, message: Msg, envelope: Envelope, error: Exception) -> None:
        tries = message.metadata.num_delivered
        reason = f"{type(error).__name__}: {error}"
        EVENTS_CONSUMED.labels(self.name, envelope.type, "failed").inc()
        if tries >= self.settings.consumer_max_deliver:
            await self.dead_letter(message, f"failed {tries} times; last error {reason}", event_id=envelope.id)
            return
        backoff = self.settings.consumer_backoff_seconds
        delay = backoff[min(tries, len(backoff)) - 1] if backoff else 0
        log.warning(
            "consumer.retry", type=envelope.type, event_id=envelope.id, tries=tries, retry_in=delay, error=reason
        )
        await message.nak(delay=delay)

    async def dead_letter(self, message: Msg, reason: str, *, event_id: str | None) -> None:
        """Publish the message with its reason to the dead-letter stream, record it, ack it."""
        seq = message.metadata.sequence.stream
        subject = deadletter_subject(self.name, message.subject)
        headers = {
            "Nats-Msg-Id": f"dl-{self.name}-{self.stream}-{seq}",
            "Brug-Reason": reason[:1000],
            "Brug-Original-Subject": message.subject,
            "Brug-Original-Stream": self.stream,
        }
        await self.bus.js.publish(subject, message.data, headers=headers, stream=DEADLETTER_STREAM)
        await asyncio.to_thread(self._record_dead_letter, message.subject, seq, event_id, reason)
        await message.ack()
        EVENTS_DEAD_LETTERED.labels(self.name).inc()
        log.error("consumer.dead_lettered", consumer=self.name, subject=message.subject, seq=seq, reason=reason)

    def _record_dead_letter(self, subject: str, seq: int, event_id: str | None, reason: str) -> None:
        with transaction(self.engine) as session:
            session.add(
                DeadLetter(
                    consumer=self.name,
                    stream=self.stream,
                    stream_seq=seq,
                    subject=subject,
                    event_id=event_id,
                    reason=reason,
                )
            )


async def _drop(subscription: object | None) -> None:
    """Unsubscribe a pull subscription that may already be dead."""
    if subscription is not None:
        try:
            await subscription.unsubscribe()  # type: ignore[attr-defined]
        except Exception:  # noqa: BLE001 - the connection may be gone with it
            pass
    return None


def consumers_for(
    name: str, handlers: Mapping[type[Payload], Handler], *, engine: Engine, bus: Bus, settings: CommonSettings
) -> list[Consumer]:
    """One consumer per stream the handled events live in.

    The filter covers every version of a handled type, so a version this
    service does not read arrives and is dead-lettered instead of ignored.
    """
    by_stream: dict[str, dict[tuple[str, int], Handler]] = {}
    for payload_cls, handler in handlers.items():
        key = (payload_cls.type, payload_cls.version)
        by_stream.setdefault(stream_of(payload_cls.type), {})[key] = handler
    return [
        Consumer(name=name, stream=stream, handlers=h, engine=engine, bus=bus, settings=settings)
        for stream, h in by_stream.items()
    ]
