"""Rules for printable cards: who may print them, and which tokens they carry.

- Coordinators, and the session's own ambassadors, may print a session's
  cards; nobody else (provider staff neither: they see only aggregates).
- Cards carry the tokens minted when the session was completed, derived
  again from the secret (tokens are never stored): printing mints nothing,
  so printing twice never raises the number of possible answers above the
  attendance plus the margin. A used or expired token gets no card.
"""

from __future__ import annotations

from sqlmodel import Session

from feedback.cards import repository
from feedback.cards.layout import Card, render_cards
from feedback.errors import CardsUnavailable, SessionUnknown
from feedback.settings import FeedbackSettings
from feedback.tokens.minting import derive_token, hash_token, printed_code
from feedback.tokens.models import FeedbackSession
from shared.auth import Forbidden, Principal
from shared.events import utcnow

__all__ = ["cards_pdf", "unused_tokens"]


def _may_print(principal: Principal, session: FeedbackSession) -> None:
    if principal.is_coordinator or (principal.ambassador_id and principal.ambassador_id in session.ambassador_ids):
        return
    raise Forbidden("Only a coordinator, or an ambassador named on this session, may print its feedback cards.")


def unused_tokens(db: Session, session: FeedbackSession, settings: FeedbackSettings) -> list[str]:
    """The session's tokens that can still answer, in minting order."""
    unused = repository.unused_hashes(db, session.session_id, utcnow())
    tokens = (derive_token(settings.feedback_token_secret, session.session_id, i) for i in range(session.tokens_minted))
    return [token for token in tokens if hash_token(settings.feedback_token_secret, token) in unused]


def cards_pdf(db: Session, session_id: str, principal: Principal, settings: FeedbackSettings) -> bytes:
    session = db.get(FeedbackSession, session_id)
    if session is None or session.completed_at is None:
        raise SessionUnknown(f"No completed session {session_id} here; cards exist once the session is completed.")
    _may_print(principal, session)
    tokens = unused_tokens(db, session, settings)
    if not tokens:
        raise CardsUnavailable("Every card of this session has been used, or its feedback window has closed.")
    base = settings.feedback_public_url.rstrip("/")
    entry = f"{base.split('://', 1)[-1]}/f"
    title = session.public_title or ""
    return render_cards([Card(f"{base}/f/{t}", printed_code(t), title, entry) for t in tokens])
