"""Queries for cards and personal links: storing the keyed hashes of newly minted ones, withdrawing unused ones."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, insert, update
from sqlmodel import Session, col, select

from feedback.tokens.minting import derive_link, derive_token, hash_token, key_hash
from feedback.tokens.models import FeedbackSession, FeedbackToken

__all__ = ["add_cards", "add_links", "withdraw_unused", "unkeyed_sessions", "replace_hash"]


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
    rows = _new(db, session_id, rows)
    if rows:
        db.exec(insert(FeedbackToken), params=rows)


def add_links(db: Session, session_id: str, count: int, expires_at: datetime, secret: str) -> list[str]:
    """Store ``count`` personal links of a session; their codes, to be texted and forgotten here."""
    codes = [derive_link(secret, session_id, i) for i in range(count)]
    rows = [
        {"token_hash": key_hash(secret, code), "session_id": session_id, "expires_at": expires_at, "link": True}
        for code in codes
    ]
    rows = _new(db, session_id, rows)
    if rows:
        db.exec(insert(FeedbackToken), params=rows)
    return codes


def withdraw_unused(db: Session, session_id: str) -> int:
    """Delete the session's cards and links that have not answered; how many."""
    unused = delete(FeedbackToken).where(
        col(FeedbackToken.session_id) == session_id,
        col(FeedbackToken.used).is_(False),
        col(FeedbackToken.sealed_used).is_(False),
    )
    return db.exec(unused).rowcount


def _new(db: Session, session_id: str, rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """``rows`` but those already stored: after an undone completion the used cards stay, and a new
    completion mints only the others."""
    stored = set(db.exec(select(FeedbackToken.token_hash).where(col(FeedbackToken.session_id) == session_id)).all())
    return [row for row in rows if row["token_hash"] not in stored]


def unkeyed_sessions(db: Session, limit: int) -> list[FeedbackSession]:
    """Sessions whose cards and link are still stored under plain hashes (card_version 0)."""
    query = select(FeedbackSession).where(FeedbackSession.card_version == 0).limit(limit)
    return list(db.exec(query).all())


def replace_hash(db: Session, old_hash: str, new_hash: str) -> None:
    """Store a card under ``new_hash`` instead of ``old_hash``."""
    db.exec(update(FeedbackToken).where(col(FeedbackToken.token_hash) == old_hash).values(token_hash=new_hash))
