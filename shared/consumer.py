"""Idempotent JetStream consumers: apply once, ack after commit, dead-letter poison.

A service declares its handlers as a list of typed functions,
``def on_session_cancelled(db: Session, event: SessionCancelled, envelope: Envelope) -> None``
(its settings bound with ``functools.partial`` where it needs them). The annotation of ``event``
is the registration: it says which event the handler applies (:func:`payload_class`), so a
handler is only ever given its own payload class.

For each stream a service reads, one durable pull consumer named after the
service is shared by all its replicas, so a replica adds throughput, not
duplicates; the stream's producer makes it (shared.bus, shared.natsauth).

For each message:

1. Parse it. Malformed, or a version this service does not read: dead-letter
   with the reason, ack, go on.
2. In one transaction per fetched batch: skip events whose id is in the
   inbox; run each other handler in a savepoint and insert its id. Commit,
   then ack. (A replica that applied the same event at the same moment
   makes the inbox insert fail: that one is retried and found a duplicate.)
3. A handler that raises is retried with the backoff from settings (``nak``
   with a delay); after ``consumer_max_deliver`` tries the message goes to
   ``deadletter.<consumer>.<subject>`` with the reason, and is acked so the
   consumer moves on. The server itself never drops a message (max_deliver
   is unlimited there): a dead letter is only ever written by us.
4. A dead-lettered event is kept (``dead_letter.body``) for a coordinator to
   replay once its cause is fixed (shared.dead_letters): it goes through
   :meth:`Consumer.apply`, the path above, so the inbox still applies it once.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial
from typing import Any, Literal

import nats.errors
import nats.js.errors
import structlog
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import ConsumerConfig
from sqlalchemy import Engine, insert
from sqlmodel import Session, col, select

from shared.bus import (
    DEADLETTER_STREAM,
    Bus,
    consumer_config,
    deadletter_subject,
    makes_own_consumers,
    raise_if_cancelled,
)
from shared.context import correlation_id
from shared.events import Envelope, EventRejected, Payload, parse_event, registry, stream_of
from shared.metrics import EVENTS_CONSUMED, EVENTS_DEAD_LETTERED
from shared.retry import retry_forever
from shared.settings import CommonSettings
from shared.tables import DeadLetter, InboxMessage
from shared.unit_of_work import UnitOfWork

__all__ = ["Handler", "Consumer", "consumers_for", "payload_class", "by_event"]


class _HandlerFailed(Exception):
    """A handler raised in a batch run without savepoints: run the batch again, isolated."""


log = structlog.get_logger("shared.consumer")

#: ``handler(db, event, envelope)``: its ``event`` parameter is annotated with the payload class it applies.
Handler = Callable[[Session, Any, Envelope], None]
#: what became of one event in a batch: applied, skipped as a duplicate, or the handler's error.
Outcome = Literal["applied", "duplicate"] | Exception


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
        return consumer_config(self.name, list({event_type for event_type, _ in self.handlers}), self.settings)

    async def run(self) -> None:
        """Bind, then fetch and handle; when NATS fails, bind again after a wait (shared.retry: 0.5 s
        doubling to 5 s), so a fetch that keeps failing at once never spins."""
        await self.bus.wait_ready()
        await retry_forever(
            self._bind_and_fetch, "consumer.fetch_failed", log=log, first=0.5, cap=5.0, consumer=self.name
        )

    async def _bind_and_fetch(self) -> None:
        raise_if_cancelled()
        subscription = await self._subscribe()
        try:
            while True:
                raise_if_cancelled()
                try:
                    messages = await subscription.fetch(self.settings.consumer_batch_size, timeout=1)
                except nats.errors.TimeoutError:
                    continue
                await self.handle_batch(messages)
        except Exception:
            await _drop(subscription)
            raise

    async def _subscribe(self) -> JetStreamContext.PullSubscription:
        """Bind to this service's consumer; make it only where the NATS user may (the test harness).

        Under a Brug user the stream's producer makes it (shared.bus): until that service has started
        once, binding fails here and is retried."""
        if makes_own_consumers(self.settings):
            await self.bus.js.add_consumer(self.stream, self.config)
        else:
            info = await self.bus.js.consumer_info(self.stream, self.name)
            made = sorted(info.config.filter_subjects or [info.config.filter_subject or ""])
            if made != self.config.filter_subjects:
                log.warning("consumer.filter_differs", consumer=self.name, stream=self.stream, made=made)
        return await self.bus.js.pull_subscribe_bind(self.name, self.stream)

    async def handle_batch(self, messages: Sequence[Msg]) -> None:
        """Apply a fetched batch in one transaction, then settle each message.

        One commit per batch instead of one per message; each handler runs in
        its own savepoint, so one failing event is retried alone.
        """
        ready: list[tuple[Msg, Envelope, Handler]] = []
        for message in messages:
            try:
                item = await self._readable(message)
            except Exception as error:  # noqa: BLE001 - NATS hiccup while dead-lettering: redelivered later
                log.warning("consumer.settle_failed", consumer=self.name, error=str(error) or type(error).__name__)
                continue
            if item is not None:
                ready.append((message, *item))
        if not ready:
            return
        try:
            outcomes = await asyncio.to_thread(self._apply_batch, [(e, h) for _, e, h in ready])
        except Exception as error:  # noqa: BLE001 - the commit failed (database away): every one is retried
            outcomes = [error] * len(ready)
        for (message, envelope, _), outcome in zip(ready, outcomes, strict=True):
            try:
                await self._settle(message, envelope, outcome)
            except Exception as error:  # noqa: BLE001 - NATS hiccup while settling: redelivered later
                log.warning("consumer.settle_failed", consumer=self.name, error=str(error) or type(error).__name__)

    async def _readable(self, message: Msg) -> tuple[Envelope, Handler] | None:
        """The event and its handler, or None after dead-lettering what cannot be read."""
        try:
            envelope = parse_event(message.data)
        except EventRejected as error:
            await self.dead_letter(message, str(error), event_id=None)
            return None
        handler = self.handlers.get((envelope.type, envelope.version))
        if handler is None:
            known = sorted(v for t, v in self.handlers if t == envelope.type)
            reason = f"{self.name} reads {envelope.type} versions {known}, not {envelope.version}"
            await self.dead_letter(message, reason, event_id=envelope.id)
            return None
        return envelope, handler

    def _apply_batch(self, items: Sequence[tuple[Envelope, Handler]]) -> list[Outcome]:
        """All handlers in one transaction; if one raises, again with each in a savepoint.

        The common case (nothing fails) pays for no savepoints: about 5x cheaper
        per event on SQLite (bench/bus.py).
        """
        try:
            return self._apply_all(items, isolate=False)
        except _HandlerFailed:
            return self._apply_all(items, isolate=True)

    def _apply_all(self, items: Sequence[tuple[Envelope, Handler]], *, isolate: bool) -> list[Outcome]:
        with UnitOfWork(self.engine) as session:
            return self.apply(session, items, isolate=isolate)

    def apply(self, session: Session, items: Sequence[tuple[Envelope, Handler]], *, isolate: bool) -> list[Outcome]:
        """The one apply path, in ``session``'s transaction (the caller commits): events the inbox
        holds are skipped as duplicates, the others run and go into the inbox. A dead letter's replay
        (shared.dead_letters) comes through here too, so an event is applied once however it arrives."""
        outcomes: list[Outcome] = []
        ids = [envelope.id for envelope, _ in items]
        seen = set(session.exec(select(InboxMessage.event_id).where(col(InboxMessage.event_id).in_(ids))).all())
        applied: list[dict[str, str]] = []
        for envelope, handler in items:
            if envelope.id in seen:
                outcomes.append("duplicate")
                continue
            error = self._run(session, envelope, handler, isolate=isolate)
            if error is not None:
                outcomes.append(error)
                continue
            seen.add(envelope.id)
            applied.append({"event_id": envelope.id, "consumer": self.name, "subject": envelope.subject})
            outcomes.append("applied")
        if applied:
            session.exec(insert(InboxMessage), params=applied)
        return outcomes

    @staticmethod
    def _run(session: Session, envelope: Envelope, handler: Handler, *, isolate: bool) -> Exception | None:
        token = correlation_id.set(envelope.correlation_id)
        try:
            if not isolate:
                try:
                    handler(session, envelope.payload, envelope)
                except Exception as error:
                    raise _HandlerFailed from error
                return None
            try:
                with session.begin_nested():
                    handler(session, envelope.payload, envelope)
                    session.flush()
            except Exception as error:  # noqa: BLE001 - rolled back to its savepoint; retried alone
                return error
            return None
        finally:
            correlation_id.reset(token)

    async def _settle(self, message: Msg, envelope: Envelope, outcome: Outcome) -> None:
        if isinstance(outcome, Exception):
            await self._failed(message, envelope, outcome)
            return
        await message.ack()
        EVENTS_CONSUMED.labels(self.name, envelope.type, outcome).inc()
        log.info(
            f"consumer.{outcome}", type=envelope.type, event_id=envelope.id, correlation_id=envelope.correlation_id
        )

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
        body = _kept_body(message.data) if event_id is not None else None
        await asyncio.to_thread(self._record_dead_letter, message.subject, seq, event_id, reason, body)
        await message.ack()
        EVENTS_DEAD_LETTERED.labels(self.name).inc()
        log.error("consumer.dead_lettered", consumer=self.name, subject=message.subject, seq=seq, reason=reason)

    def _record_dead_letter(self, subject: str, seq: int, event_id: str | None, reason: str, body: str | None) -> None:
        with UnitOfWork(self.engine) as session:
            session.add(
                DeadLetter(
                    consumer=self.name,
                    stream=self.stream,
                    stream_seq=seq,
                    subject=subject,
                    event_id=event_id,
                    reason=reason,
                    body=body,
                )
            )


def _kept_body(data: bytes) -> str | None:
    """An event's JSON as text, to replay later; None for anything but UTF-8 without NUL (PostgreSQL's
    text refuses NUL, and the letter must be recorded whatever came)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return None if "\x00" in text else text


async def _drop(subscription: JetStreamContext.PullSubscription | None) -> None:
    """Unsubscribe a pull subscription that may already be dead."""
    if subscription is not None:
        try:
            await subscription.unsubscribe()
        except Exception:  # noqa: BLE001 - the connection may be gone with it
            pass


def payload_class(handler: Handler) -> type[Payload]:
    """The event class ``handler`` applies: the annotation of its ``event`` parameter.

    Refused (TypeError) unless it is a registered event class, so the payload parsed for its
    (type, version) is always an instance of it.
    """
    function = handler.func if isinstance(handler, partial) else handler
    parameter = inspect.signature(function).parameters.get("event")
    event = None if parameter is None else parameter.annotation
    if isinstance(event, str):  # postponed (from __future__ import annotations): a name in the handler's module
        event = getattr(function, "__globals__", {}).get(event)
    if not (isinstance(event, type) and issubclass(event, Payload)):
        raise TypeError(f"{function!r} has no parameter 'event' annotated with an event class")
    if event not in registry().values():
        raise TypeError(f"{function!r} handles {event.__name__}, which is not a registered event")
    return event


def by_event(handlers: Iterable[Handler]) -> dict[type[Payload], Handler]:
    """Each handler under the event class it applies; two handlers for one class are refused."""
    found: dict[type[Payload], Handler] = {}
    for handler in handlers:
        event = payload_class(handler)
        if event in found:
            raise ValueError(f"two handlers for {event.__name__}: {found[event]!r} and {handler!r}")
        found[event] = handler
    return found


def consumers_for(
    name: str, handlers: Iterable[Handler], *, engine: Engine, bus: Bus, settings: CommonSettings
) -> list[Consumer]:
    """One consumer per stream the handled events live in.

    The filter covers every version of a handled type, so a version this
    service does not read arrives and is dead-lettered instead of ignored.
    """
    by_stream: dict[str, dict[tuple[str, int], Handler]] = {}
    for payload_cls, handler in by_event(handlers).items():
        key = (payload_cls.type, payload_cls.version)
        by_stream.setdefault(stream_of(payload_cls.type), {})[key] = handler
    return [
        Consumer(name=name, stream=stream, handlers=h, engine=engine, bus=bus, settings=settings)
        for stream, h in by_stream.items()
    ]
