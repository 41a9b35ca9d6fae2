"""Handler for ``scheduling.session.completed``: mint the session's tokens."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import insert
from sqlmodel import Session

from feedback.settings import FeedbackSettings
from feedback.tokens.minting import derive_token, hash_token
from feedback.tokens.models import FeedbackSession, FeedbackToken
from shared.events import Envelope, SessionCompleted

__all__ = ["handlers"]


def mint_for_completed(settings: FeedbackSettings):  # type: ignore[no-untyped-def]
    def on_session_completed(db: Session, envelope: Envelope) -> None:
        """Attendance plus a margin of tokens, stored as hashes only."""
        event = envelope.payload
        assert isinstance(event, SessionCompleted)
        if db.get(FeedbackSession, event.session_id) is not None:
            return
        count = event.attendance + settings.feedback_token_margin
        completed_at = envelope.occurred_at
        db.add(
            FeedbackSession(
                session_id=event.session_id,
                provider_id=event.provider_id,
                attendance=event.attendance,
                languages=event.languages,
                audience=event.audience,
                tokens_minted=count,
                completed_at=completed_at,
            )
        )
        expires = completed_at + timedelta(days=settings.feedback_token_days)
        rows = [
            {
                "token_hash": hash_token(derive_token(settings.feedback_token_secret, event.session_id, i)),
                "session_id": event.session_id,
                "expires_at": expires,
            }
            for i in range(count)
        ]
        if rows:
            db.exec(insert(FeedbackToken), params=rows)  # type: ignore[call-overload]

    return on_session_completed


def handlers(settings: FeedbackSettings) -> dict[type, object]:
    return {SessionCompleted: mint_for_completed(settings)}
