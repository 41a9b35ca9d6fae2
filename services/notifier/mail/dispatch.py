"""Sending one claimed e-mail delivery and recording what came of it.

SMTP offers no way to ask a server whether it took a message, so an
e-mail whose last try was cut short is sent again with the same Message-ID
(mail clients show such a repeat once); this is the one place where the
notifier prefers a repeat to a loss, since an e-mail is not read aloud on a
shared phone's lock screen the way a text is.
"""

from __future__ import annotations

import asyncio

import structlog
from sqlalchemy import Engine

from notifier.deliveries import outcomes
from notifier.deliveries.service import Claim
from notifier.mail.compose import prepare_email
from notifier.mail.smtp import MailRejected, MailUnavailable, send_email
from notifier.settings import NotifierSettings

__all__ = ["send_claimed_email", "GATEWAY"]

log = structlog.get_logger("notifier.email")

#: recorded as the delivery's gateway.
GATEWAY = "smtp"


async def send_claimed_email(engine: Engine, settings: NotifierSettings, claim: Claim, policy: outcomes.Policy) -> None:
    if not settings.email_enabled:
        await asyncio.to_thread(outcomes.refused, engine, claim, "e-mail is off (BRUG_SMTP_HOST is not set)")
        return
    message = await asyncio.to_thread(prepare_email, engine, claim, settings)
    if message is None:
        return
    await asyncio.to_thread(outcomes.record_attempt, engine, claim, GATEWAY)
    try:
        await send_email(settings, message)
    except MailRejected as error:
        await asyncio.to_thread(outcomes.refused, engine, claim, str(error))
        log.warning("notifier.email.refused", delivery_id=claim.delivery_id, error=str(error))
        return
    except MailUnavailable as error:
        await asyncio.to_thread(outcomes.retry, engine, claim, str(error), policy, clear_doubt=True)
        log.warning("notifier.email.failed", delivery_id=claim.delivery_id, attempt=claim.attempts, error=str(error))
        return
    await asyncio.to_thread(outcomes.sent, engine, claim, GATEWAY, str(message["Message-ID"]), 0)
    log.info("notifier.email.sent", delivery_id=claim.delivery_id)
