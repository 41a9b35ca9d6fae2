"""Keeping a service's token verifier in step with the scheduler's published keys.

The notifier and feedback services check staff tokens with the scheduler's
public key, fetched from its well-known URL. The scheduler may start after
them, and may rotate its key, so the keys are fetched in the background:
retried until they arrive (guarded routes answer 503 until then) and
refreshed on a schedule.
"""

from __future__ import annotations

import asyncio

import structlog
from fastapi import FastAPI

from shared.auth import TokenVerifier, fetch_jwks, set_verifier

__all__ = ["keep_verifier_fresh"]

log = structlog.get_logger("shared.jwks")


async def keep_verifier_fresh(app: FastAPI, url: str, *, refresh_seconds: float = 600.0) -> None:
    """Fetch the JWKS at ``url`` into ``app``'s verifier, retrying on failure, then refreshing."""
    delay = 0.5
    while True:
        try:
            keys = await asyncio.to_thread(fetch_jwks, url)
            set_verifier(app, TokenVerifier(keys))
            log.info("auth.keys_loaded", url=url, keys=len(keys))
            delay = 0.5
            await asyncio.sleep(refresh_seconds)
        except Exception as error:  # noqa: BLE001 - scheduler not up yet, or a bad answer: try again
            log.warning("auth.keys_unavailable", url=url, error=str(error) or type(error).__name__, retry_in=delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 30.0)
