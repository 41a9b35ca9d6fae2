"""Sessions completed before card hashes were keyed get keyed hashes when the service starts."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine, insert, update
from sqlmodel import col, select

from feedback.forms.repository import card, session_by_link
from feedback.tokens.minting import derive_link, hash_token, legacy_hash, long_token
from feedback.tokens.models import FeedbackSession, FeedbackToken
from feedback.tokens.rekey import rekey
from shared.events import utcnow
from shared.migrate import upgrade
from shared.unit_of_work import UnitOfWork
from tests.support.config import Keys


def _legacy_session(engine: Engine, secret: str, session_id: str, minted: int) -> None:
    """A session as an earlier version stored it: plain SHA-256 of each card and of the link."""
    with UnitOfWork(engine) as db:
        link = derive_link(secret, session_id)
        db.add(
            FeedbackSession(
                session_id=session_id, tokens_minted=minted, completed_at=utcnow(), link_hash=legacy_hash(link)
            )
        )
        rows = [
            {
                "token_hash": legacy_hash(long_token(secret, session_id, i)),
                "session_id": session_id,
                "expires_at": utcnow() + timedelta(days=14),
                "used": i == 0,
            }
            for i in range(minted)
        ]
        db.exec(insert(FeedbackToken), params=rows)  # type: ignore[call-overload]
    with UnitOfWork(engine) as db:  # the migration marks every existing session as not yet keyed
        db.exec(update(FeedbackSession).values(card_version=0))  # type: ignore[call-overload]


def test_plain_hashes_are_replaced_by_keyed_ones_once(engine: Engine) -> None:
    upgrade(engine, "feedback")
    secret = Keys().token_secret
    _legacy_session(engine, secret, "s-old", minted=4)

    assert rekey(engine, secret) == 1
    assert rekey(engine, secret) == 0  # a second start changes nothing

    with UnitOfWork(engine, read_only=True) as db:
        stored = set(db.exec(select(FeedbackToken.token_hash)).all())
        assert stored == {hash_token(secret, long_token(secret, "s-old", i)) for i in range(4)}
        first = card(db, hash_token(secret, long_token(secret, "s-old", 0)))
        assert first is not None and first.used, "a card used before keeps its state"
        assert session_by_link(db, hash_token(secret, derive_link(secret, "s-old"))) is not None
        versions = db.exec(select(col(FeedbackSession.card_version))).all()
    assert versions == [1]  # long tokens, keyed: cards printed before still work
