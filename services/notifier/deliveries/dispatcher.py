"""The loop that sends due deliveries through the gateway; one per notifier process."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import structlog
from sqlalchemy import Engine

from notifier.deliveries import service
from notifier.deliveries.gateways import Gateway, GatewayError, gateway_from_settings
from notifier.settings import NotifierSettings
from shared.sealing import SealError
from shared.web import Runtime

__all__ = ["Dispatcher", "run_dispatcher"]

log = structlog.get_logger("notifier.dispatcher")


class Dispatcher:
    """Sends due deliveries; ``wake_relay`` is called when outcomes (events) were recorded."""

    def __init__(
        self, engine: Engine, settings: NotifierSettings, gateway: Gateway, wake_relay: Callable[[], None]
    ) -> None:
        self.engine = engine
        self.settings = settings
        self.gateway = gateway
        self.wake_relay = wake_relay

    async def run(self) -> None:
        while True:
            try:
                sent = await self.dispatch_once()
            except Exception as error:  # noqa: BLE001 - database away: wait and try again
                log.warning("notifier.dispatch_failed", error=str(error) or type(error).__name__)
                sent = 0
            if sent == 0:
                await asyncio.sleep(self.settings.dispatch_poll_seconds)

    async def dispatch_once(self) -> int:
        """Claim and send one batch; return how many were claimed."""
        claims = await asyncio.to_thread(
            service.claim_due, self.engine, lease_seconds=self.settings.delivery_lease_seconds, limit=50
        )
        await asyncio.gather(*(self._deliver(claim) for claim in claims))
        if claims:
            self.wake_relay()
        return len(claims)

    async def _deliver(self, claim: service.Claim) -> None:
        try:
            await self._send(claim)
        except Exception as error:  # noqa: BLE001 - one bad delivery must not stop the others
            await asyncio.to_thread(
                service.mark_failed,
                self.engine,
                claim.delivery_id,
                f"{type(error).__name__}: {error}",
                permanent=isinstance(error, SealError),
                max_attempts=self.settings.delivery_max_attempts,
            )
            log.error("notifier.delivery_error", delivery_id=claim.delivery_id, error=type(error).__name__)

    async def _send(self, claim: service.Claim) -> None:
        engine = self.engine
        outgoing = await asyncio.to_thread(
            service.prepare, engine, claim.delivery_id, self.settings.notifier_private_key
        )
        if outgoing is None:
            return
        if claim.stale:
            reference = await self.gateway.lookup(claim.idempotency_key)
            if reference is not None:
                await asyncio.to_thread(service.mark_sent, engine, claim.delivery_id, reference, outgoing.segments)
                log.info("notifier.sms.reconciled", delivery_id=claim.delivery_id)
                return
        try:
            reference = await self.gateway.send(outgoing.to, outgoing.body, claim.idempotency_key)
        except GatewayError as error:
            await asyncio.to_thread(
                service.mark_failed,
                engine,
                claim.delivery_id,
                str(error),
                permanent=error.permanent,
                max_attempts=self.settings.delivery_max_attempts,
            )
            log.warning("notifier.sms.failed", delivery_id=claim.delivery_id, attempt=claim.attempts, error=str(error))
            return
        await asyncio.to_thread(service.mark_sent, engine, claim.delivery_id, reference, outgoing.segments)
        log.info("notifier.sms.sent", delivery_id=claim.delivery_id, segments=outgoing.segments)


async def run_dispatcher(runtime: Runtime) -> None:
    settings: NotifierSettings = runtime.settings  # type: ignore[assignment]
    await Dispatcher(runtime.engine, settings, gateway_from_settings(settings), runtime.relay.wake).run()
