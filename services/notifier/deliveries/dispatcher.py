"""The loop that sends due deliveries through the gateways; one per notifier process.

For each claimed delivery: prepare the text (or skip an opted-out number),
reconcile first if an earlier call is in doubt, send through the gateways in
failover order (notifier.deliveries.failover), and record the outcome
(notifier.deliveries.outcomes). The process's one ``httpx.AsyncClient`` is
made when the loop starts and closed when it stops.

Stopping (SIGTERM, a deploy) drains: sends not yet past their opt-out check
are let go and their claims handed back, due again at once for any notifier;
calls under way get ``BRUG_SHUTDOWN_DRAIN_SECONDS`` to end and record their
outcome. Only what is still calling then ends as a crash would: in doubt,
reconciled by its lease.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Sequence
from datetime import date, timedelta
from functools import partial
from typing import Any, TypeVar, assert_never

import structlog
from sqlalchemy import Engine
from sqlmodel import Session

from notifier.deliveries import failover, outcomes, service
from notifier.deliveries.failover import (
    Absent,
    CannotTell,
    Found,
    InDoubt,
    Refused,
    Sent,
    Stopped,
    TryLater,
    Unverifiable,
)
from notifier.gateways import Gateway, SmsMessage, build_gateways
from notifier.gateways.http import MAX_CONCURRENT_SENDS, make_client
from notifier.gateways.pace import Pace
from notifier.mail.dispatch import send_claimed_email
from notifier.optouts.service import number_hash
from notifier.settings import NotifierSettings
from shared.discretion import DiscretionError
from shared.events import Channel, utcnow
from shared.sealing import SealError
from shared.unit_of_work import UnitOfWork
from shared.web import Runtime

__all__ = ["Dispatcher", "run_dispatcher", "claim_batch", "CLAIM_BATCH"]

log = structlog.get_logger("notifier.dispatcher")

T = TypeVar("T")

#: a gateway that matches a message by recipient and time (Twilio) must not take another message's
#: record for the one in doubt: the references recorded for messages attempted this long before it
#: are passed to the lookup as not this one (wider than any gateway's allowance for clock skew).
KNOWN_WINDOW = timedelta(minutes=10)

#: deliveries held claimed by the running loop at most (twice the sends at a time).
QUEUED = 2 * MAX_CONCURRENT_SENDS

#: deliveries claimed per round; with MAX_CONCURRENT_SENDS at a time, a round of slow
#: gateways still ends well within the lease.
CLAIM_BATCH = 20


class Dispatcher:
    """Sends due deliveries; ``wake_relay`` is called when outcomes (events) were recorded."""

    def __init__(
        self,
        engine: Engine,
        settings: NotifierSettings,
        gateways: Sequence[Gateway],
        wake_relay: Callable[[], None],
    ) -> None:
        self.engine = engine
        self.settings = settings
        self.gateways = list(gateways)
        self.by_name = {g.name: g for g in self.gateways}
        self.wake_relay = wake_relay
        self.policy = outcomes.Policy(
            max_attempts=settings.delivery_max_attempts,
            backoff_seconds=settings.delivery_backoff_seconds,
            backoff_max_seconds=settings.delivery_backoff_max_seconds,
            reconcile_delay_seconds=settings.sms_reconcile_delay_seconds,
        )
        self._limit = asyncio.Semaphore(MAX_CONCURRENT_SENDS)
        #: sends whose attempt is recorded (past the opt-out check): their call may be under way
        self._calling: set[asyncio.Task[None]] = set()
        #: database work of sends, finished even when its send is cancelled (see _kept)
        self._writes: set[asyncio.Future[Any]] = set()
        #: claims made while the loop was being stopped, handed back with the others
        self._unsent: list[service.Claim] = []
        self._capped_on: date | None = None
        self.paces = {g.name: Pace(settings.rate_per_second(g.name)) for g in self.gateways}
        self.claim_batch = claim_batch(settings, [g.name for g in self.gateways])

    async def run(self) -> None:
        """Keep every send slot busy: claim as many due deliveries as slots are free, and claim
        again as soon as one is done, rather than waiting for a whole round's slowest send."""
        in_flight: dict[asyncio.Task[None], service.Claim] = {}
        try:
            await self._keep_busy(in_flight)
        finally:
            await self._drain(in_flight)

    async def _drain(self, in_flight: dict[asyncio.Task[None], service.Claim]) -> None:
        """Stopping: let go of the sends not yet calling and, once their writes have settled, hand their
        claims back; give the calls under way ``shutdown_drain_seconds`` to end, then cancel what is left
        (it ends as a crash would: in doubt, reconciled after its lease)."""
        waiting = {task: claim for task, claim in in_flight.items() if task not in self._calling}
        calling = set(in_flight) - set(waiting)
        for task in waiting:
            task.cancel()
        await asyncio.gather(*waiting, return_exceptions=True)
        await asyncio.gather(*self._writes, return_exceptions=True)  # nothing of theirs lands after the release
        if unsent := [*waiting.values(), *self._unsent]:
            released = await asyncio.to_thread(service.release, self.engine, unsent)
            log.info("notifier.stopping.claims_handed_back", claims=released)
        if calling:
            seconds = self.settings.shutdown_drain_seconds
            log.info("notifier.stopping.calls_under_way", calls=len(calling), seconds=seconds)
            _, late = await asyncio.wait(calling, timeout=seconds) if seconds else (set(), calling)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, *self._writes, return_exceptions=True)
            if late:
                log.warning("notifier.stopping.calls_cut_off", calls=len(late))

    async def _keep_busy(self, in_flight: dict[asyncio.Task[None], service.Claim]) -> None:
        """Up to :data:`QUEUED` deliveries claimed, :data:`MAX_CONCURRENT_SENDS` of them sending (the
        others wait their turn in ``_deliver``); claimed again once half are done, so each round's
        transaction claims several and the gateways never wait for one."""
        # a rate-limited gateway's deliveries must not wait in the queue past half their lease
        room = min(QUEUED, self.claim_batch)
        refill = max(room // 2, 1)
        while True:
            free = room - len(in_flight)
            started = 0
            if free >= refill:
                try:
                    started = await self._start(min(free, self.claim_batch), in_flight)
                except Exception as error:  # noqa: BLE001 - database away: wait and try again
                    log.warning("notifier.dispatch_failed", error=str(error) or type(error).__name__)
            if in_flight:
                # enough claimed: wait for one to finish; fewer due than room: also look again after a poll
                timeout = None if started == free or free < refill else self.settings.dispatch_poll_seconds
                await asyncio.wait(in_flight, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
            elif not started:
                await asyncio.sleep(self.settings.dispatch_poll_seconds)

    async def _start(self, limit: int, in_flight: dict[asyncio.Task[None], service.Claim]) -> int:
        """Claim up to ``limit`` deliveries and start sending each; return how many were claimed."""
        claims = await self._claim(limit)
        for claim in claims:
            task = asyncio.create_task(self._deliver(claim))
            in_flight[task] = claim
            task.add_done_callback(lambda done: in_flight.pop(done, None))
            task.add_done_callback(lambda _task: self.wake_relay())  # its outcome wrote an event
        return len(claims)

    async def dispatch_once(self) -> int:
        """Claim and send one batch, and wait for all of it; return how many were claimed."""
        claims = await self._claim(self.claim_batch)
        await asyncio.gather(*(self._deliver(claim) for claim in claims))
        if claims:
            self.wake_relay()
        return len(claims)

    async def _claim(self, limit: int) -> list[service.Claim]:
        claiming = asyncio.ensure_future(
            asyncio.to_thread(
                service.claim_round,
                self.engine,
                lease_seconds=self.settings.delivery_lease_seconds,
                limit=limit,
                sms_cap=self.settings.sms_daily_cap,
            )
        )
        try:
            claimed = await asyncio.shield(claiming)
        except asyncio.CancelledError:  # stopping while the claim commits: what it claimed is handed back
            with contextlib.suppress(Exception):
                self._unsent.extend((await claiming).claims)
            raise
        if claimed.sms_held:
            self._cap_reached()
        return claimed.claims

    def _cap_reached(self) -> None:
        """Say so once a day per process; the held SMS stay pending until the next UTC day."""
        day = service.start_of_day(utcnow()).date()
        if self._capped_on != day:
            self._capped_on = day
            log.error("notifier.sms.daily_cap_reached", cap=self.settings.sms_daily_cap, day=day.isoformat())

    async def _deliver(self, claim: service.Claim) -> None:
        async with self._limit:
            try:
                await self._send(claim)
            except service.LeaseLost:
                log.info("notifier.delivery.moved_on", delivery_id=claim.delivery_id)
            except Exception as error:  # noqa: BLE001 - one bad delivery must not stop the others
                await self._unexpected(claim, error)
            finally:
                self._calling.discard(asyncio.current_task())

    def _now_calling(self) -> None:
        """This send has recorded its attempt: a stopping loop lets it end rather than cut it off."""
        if (task := asyncio.current_task()) is not None:
            self._calling.add(task)

    async def _unexpected(self, claim: service.Claim, error: Exception) -> None:
        reason = f"{type(error).__name__}: {error}"
        # unreadable contact details or a text the discretion guard stopped: trying again changes nothing
        permanent = isinstance(error, (SealError, DiscretionError))
        record = outcomes.refused if permanent else partial(outcomes.retry, policy=self.policy)
        try:
            await self._db(record, claim, reason)
        except service.LeaseLost:
            pass
        log.error("notifier.delivery_error", delivery_id=claim.delivery_id, error=type(error).__name__)

    async def _send(self, claim: service.Claim) -> None:
        if claim.channel == Channel.EMAIL:
            self._now_calling()  # no turn to wait for: it prepares, records its attempt and calls
            await send_claimed_email(self.engine, self.settings, claim, self.policy)
            return
        # a first try takes the primary gateway's turn, then checks the opt-outs and records its attempt there
        # while preparing, and calls at once: no wait between the check and the call. A doubted one reconciles first.
        first = None if claim.in_doubt or not self.gateways else self.gateways[0].name
        if first is not None and not (pace := self.paces[first]).paused_for():
            await pace.turn()
        outgoing = await self._write(lambda db: service.prepare_in(db, claim, self.settings, attempt_at=first))
        if outgoing is None:
            return
        if first is not None:
            self._now_calling()
        message = SmsMessage(outgoing.to, outgoing.body, claim.idempotency_key, claim.delivery_id, outgoing.segments)
        order, pinned = self.gateways, False
        if claim.in_doubt:
            resolved = await self._reconcile(claim, message)
            if resolved is None:
                return
            order, pinned = resolved
        check = partial(self._before_call, claim, outgoing.to)
        outcome = await failover.send_in_order(order, message, check, self.paces, ready=first)
        await self._record(claim, outcome, message, pinned=pinned)

    async def _write(self, work: Callable[[Session], T]) -> T:
        """``work(db)`` committed together with the other sends' writes of the moment (group commit):
        ten sends at a time each wrote twice per message, and took turns for SQLite's one write lock."""
        return await self._kept(UnitOfWork(self.engine).run(work))

    async def _db(self, work: Callable[..., T], *args: Any) -> T:
        """``work(self.engine, *args)`` in a worker thread, kept (see :meth:`_kept`)."""
        return await self._kept(asyncio.to_thread(work, self.engine, *args))

    async def _kept(self, work: Awaitable[T]) -> T:
        """A send's database work runs to its end even when the send is cancelled (the loop stopping):
        a cancelled await leaves the thread or the batch committing, and the drain waits for it before
        it hands the claim back, so no late write lands on the next notifier's claim of that delivery."""
        future = asyncio.ensure_future(work)
        self._writes.add(future)
        future.add_done_callback(self._writes.discard)
        return await asyncio.shield(future)

    async def _before_call(self, claim: service.Claim, phone: str, gateway: str) -> bool:
        """Record the attempt at ``gateway``, checking the opt-outs and the claim again: time has passed since
        the text was prepared (a gateway's turn, one that failed, a lookup). False: the number opted out."""
        number = number_hash(self.settings.optout_hash_key, phone)
        since = service.callable_since(self.settings)
        record = partial(outcomes.record_attempt, number_hash=number, claimed_since=since)
        if calls := await self._db(record, claim, gateway):
            self._now_calling()
        return calls

    async def _reconcile(self, claim: service.Claim, message: SmsMessage) -> tuple[list[Gateway], bool] | None:
        """Settle an earlier call that may have gone out; return the gateways to send through, if any.

        An idempotent gateway is simply asked again, and only it: another
        gateway cannot know the key. Any other gateway is looked up; only a
        message it proves absent is sent again, starting with the next
        gateway, since this one was slow or broken. Past the last attempt
        nothing is sent: a proven absence ends ``failed``, anything less
        ``unconfirmed``.
        """
        doubted = claim.gateway or "?"
        gateway = self.by_name.get(doubted)
        if gateway is None or claim.attempted_at is None:
            reason = f"{doubted}: may have sent it and is no longer configured, so it cannot be asked"
            await self._db(outcomes.unconfirmed, claim, reason)
            log.warning("notifier.sms.unconfirmed", delivery_id=claim.delivery_id, gateway=doubted)
            return None
        spent = claim.attempts > self.policy.max_attempts
        if gateway.idempotent:
            if spent:
                reason = f"{gateway.name}: no answer after {claim.attempts - 1} attempts; it may have sent it"
                await self._db(outcomes.unconfirmed, claim, reason)
                return None
            return [gateway], True
        known = await self._db(service.refs_since, gateway.name, claim.attempted_at - KNOWN_WINDOW)
        result = await failover.reconcile(gateway, message, claim.attempted_at, known)
        if isinstance(result, Found):
            await self._db(outcomes.sent, claim, gateway.name, result.ref, message.segments)
            log.info("notifier.sms.reconciled", delivery_id=claim.delivery_id, gateway=gateway.name)
            return None
        if isinstance(result, Absent):
            log.info("notifier.sms.not_sent_before", delivery_id=claim.delivery_id, gateway=gateway.name)
            if spent:
                reason = f"not sent after {claim.attempts - 1} attempts ({gateway.name} has no such message)"
                await self._db(outcomes.refused, claim, reason)
                return None
            return failover.after(self.gateways, gateway.name), False
        if isinstance(result, CannotTell):
            await self._db(outcomes.retry, claim, result.reason, self.policy)
            log.warning("notifier.sms.lookup_failed", delivery_id=claim.delivery_id, error=result.reason)
            return None
        if isinstance(result, Unverifiable):
            await self._db(outcomes.unconfirmed, claim, result.reason)
            log.warning("notifier.sms.unconfirmed", delivery_id=claim.delivery_id, gateway=gateway.name)
            return None
        assert_never(result)

    async def _record(
        self, claim: service.Claim, outcome: failover.Outcome, message: SmsMessage, *, pinned: bool
    ) -> None:
        delivery_id = claim.delivery_id
        if isinstance(outcome, Sent):
            await self._write(lambda db: outcomes.sent_in(db, claim, outcome.gateway, outcome.ref, message.segments))
            log.info("notifier.sms.sent", delivery_id=delivery_id, gateway=outcome.gateway, segments=message.segments)
        elif isinstance(outcome, Refused):
            await self._db(outcomes.refused, claim, outcome.reason)
            log.warning("notifier.sms.refused", delivery_id=delivery_id, error=outcome.reason)
        elif isinstance(outcome, TryLater) and not outcome.called:
            await self._db(
                partial(outcomes.wait, clear_doubt=not pinned),
                claim,
                outcome.reason,
                outcome.retry_after or 0.0,
            )
            log.info("notifier.sms.paused", delivery_id=delivery_id, seconds=round(outcome.retry_after or 0.0, 1))
        elif isinstance(outcome, TryLater):
            # after a doubted call to an idempotent gateway, the doubt stays until that gateway answers
            await self._db(
                partial(outcomes.retry, retry_after=outcome.retry_after, clear_doubt=not pinned),
                claim,
                outcome.reason,
                self.policy,
            )
            log.warning("notifier.sms.failed", delivery_id=delivery_id, attempt=claim.attempts, error=outcome.reason)
        elif isinstance(outcome, Stopped):
            log.info("notifier.sms.opted_out_meanwhile", delivery_id=delivery_id)
        elif isinstance(outcome, InDoubt):
            await self._db(outcomes.in_doubt, claim, outcome.gateway, outcome.reason, self.policy)
            log.warning("notifier.sms.in_doubt", delivery_id=delivery_id, gateway=outcome.gateway, error=outcome.reason)
        else:
            assert_never(outcome)


def claim_batch(settings: NotifierSettings, gateways: Sequence[str]) -> int:
    """Deliveries claimed per round: :data:`CLAIM_BATCH`, or fewer when a gateway's rate limit
    would otherwise stretch a round past half the lease (another notifier would take them over)."""
    rates = [r for r in (settings.rate_per_second(name) for name in gateways) if r > 0]
    if not rates:
        return CLAIM_BATCH
    return max(1, min(CLAIM_BATCH, int(min(rates) * settings.delivery_lease_seconds / 2)))


async def run_dispatcher(runtime: Runtime) -> None:
    """The dispatcher with this process's one HTTP client, closed when the loop stops."""
    settings: NotifierSettings = runtime.settings  # type: ignore[assignment]  # Runtime holds CommonSettings; this service's app was built with its own
    if settings.email_enabled:
        log.info("notifier.email.enabled", host=settings.smtp_host, port=settings.smtp_port, tls=settings.smtp_tls)
    else:
        log.warning("notifier.email.disabled", reason="BRUG_SMTP_HOST is not set; no e-mail or e-mailed invite is sent")
    async with make_client(settings.sms_failover_seconds) as client:
        gateways = build_gateways(settings, client)
        await Dispatcher(runtime.engine, settings, gateways, runtime.relay.wake).run()
