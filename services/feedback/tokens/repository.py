"""Queries for cards and personal links: storing the keyed hashes of newly minted ones."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert
from sqlmodel import Session

from feedback.tokens.minting import derive_link, derive_token, hash_token, key_hash
from feedback.tokens.models import FeedbackToken

__all__ = ["add_cards", "add_links"]


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


def add_links(db: Session, session_id: str, count: int, expires_at: datetime, secret: str) -> list[str]:
    """Store ``count`` personal links of a session; their codes, to be texted and forgotten here."""
    codes = [derive_link(secret, session_id, i) for i in range(count)]
    rows = [
        {"token_hash": key_hash(secret, code), "session_id": session_id, "expires_at": expires_at, "link": True}
        for code in codes
    ]
    if rows:
        db.exec(insert(FeedbackToken), params=rows)  # type: ignore[call-overload]
    return codes
