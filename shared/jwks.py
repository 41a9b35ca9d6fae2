"""Keeping a service's token verifier in step with the scheduler's published keys.

The notifier and feedback services check staff tokens with the scheduler's
public key, fetched from its well-known URL. The scheduler may start after
them, and may rotate its key, so the keys are fetched in the background:
retried until they arrive (guarded routes answer 503 until then) and
refreshed on a schedule.
"""

from __future__ import annotations

import asyncio
from functools import partial

import structlog
from fastapi import FastAPI

from shared.auth import TokenVerifier, fetch_jwks, set_verifier
from shared.retry import retry_forever

__all__ = ["keep_verifier_fresh"]

log = structlog.get_logger("shared.jwks")


async def keep_verifier_fresh(app: FastAPI, url: str, *, refresh_seconds: float = 600.0) -> None:
    """Fetch the JWKS at ``url`` into ``app``'s verifier, retrying on failure, then refreshing.

    A failure (the scheduler not up yet, or a bad answer) is tried again after 0.5 s, doubled
    each time up to 30 s.
    """
    while True:
        await retry_forever(partial(_load, app, url), "auth.keys_unavailable", log=log, first=0.5, cap=30.0, url=url)
        await asyncio.sleep(refresh_seconds)


async def _load(app: FastAPI, url: str) -> None:
    keys = await asyncio.to_thread(fetch_jwks, url)
    set_verifier(app, TokenVerifier(keys))
    log.info("auth.keys_loaded", url=url, keys=len(keys))
