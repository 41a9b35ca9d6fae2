"""Queries for cards: storing the keyed hashes of newly minted ones."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert
from sqlmodel import Session

from feedback.tokens.minting import derive_token, hash_token
from feedback.tokens.models import FeedbackToken

__all__ = ["add_cards"]


def add_cards(db: Session, session_id: str, indices: range, expires_at: datetime, secret: str) -> None:
    """Store cards ``indices`` of a session (short codes, keyed hashes), valid until ``expires_at``."""
    rows = [
        {
            "token_hash": hash_token(secret, derive_token(secret, session_id, i)),
            "session_id": session_id,
            "expires_at": expires_at,
        }
        for i in indices
    ]
    if rows:
        db.exec(insert(FeedbackToken), params=rows)  # type: ignore[call-overload]
