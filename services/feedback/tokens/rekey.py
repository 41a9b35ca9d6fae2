"""Re-keying card and link hashes stored as plain SHA-256 (sessions completed before hashes were keyed).

A plain hash let anyone with the printed cards (or a photo of the sheet) and
a copy of the database find each card's row. Tokens are derived from the
secret, so the old hash of each can be computed again and replaced by the
keyed one; a session is marked when done (card_version 1: long tokens, keyed),
so a second start changes nothing.
Runs once at start-up, before the service answers (feedback.app).
"""

from __future__ import annotations

import asyncio

import structlog
from sqlalchemy import Engine

from feedback.tokens import repository
from feedback.tokens.minting import derive_link, hash_token, legacy_hash, long_token
from shared.unit_of_work import UnitOfWork
from shared.web import Runtime

__all__ = ["rekey", "rekey_at_start"]

log = structlog.get_logger("feedback.tokens")


def rekey(engine: Engine, secret: str) -> int:
    """Replace every plain hash by its keyed one; how many sessions were re-keyed."""
    done = 0
    while True:
        with UnitOfWork(engine) as db:
            sessions = repository.unkeyed_sessions(db, 50)
            for session in sessions:
                for i in range(session.tokens_minted):
                    token = long_token(secret, session.session_id, i)
                    repository.replace_hash(db, legacy_hash(token), hash_token(secret, token))
                if session.link_hash is not None:
                    session.link_hash = hash_token(secret, derive_link(secret, session.session_id))
                session.card_version = 1
                db.add(session)
        done += len(sessions)
        if len(sessions) < 50:
            return done


async def rekey_at_start(runtime: Runtime) -> None:
    secret = runtime.settings.feedback_token_secret  # type: ignore[attr-defined]  # Runtime holds CommonSettings; this service's app was built with its own
    sessions = await asyncio.to_thread(rekey, runtime.engine, secret)
    if sessions:
        log.info("feedback.cards.rekeyed", sessions=sessions)
