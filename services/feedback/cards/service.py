"""Rules for printable cards: who may print them, and which tokens they carry.

- Coordinators, and the session's own ambassadors, may print a session's
  cards; nobody else (provider staff neither: they see only aggregates).
- Cards carry the codes minted when the session was completed, one per
  counted attendee, derived again from the secret (codes are never stored):
  printing mints nothing, so printing twice never adds a possible answer. A
  used or expired code gets no card.
- A few more (``EXTRA_CARDS``, for people the count missed) are asked for
  openly: each request is audited with who asked and how many, because a
  spare card is what an insider would need to pad a report.
"""

from __future__ import annotations

from sqlmodel import Session

from feedback.cards import repository
from feedback.cards.layout import Card, render_cards
from feedback.errors import CardsUnavailable, SessionUnknown, TooManyCards
from feedback.forms.repository import lock_session
from feedback.reports.service import window_closes
from feedback.settings import FeedbackSettings
from feedback.tokens import repository as cards
from feedback.tokens.minting import hash_token, printed_code, session_token
from feedback.tokens.models import FeedbackSession
from shared.auth import Forbidden, Principal
from shared.events import utcnow

__all__ = ["cards_pdf", "unused_tokens", "add_cards", "EXTRA_CARDS"]

#: cards a session may have beyond its counted attendance, in all.
EXTRA_CARDS = 5


def _may_print(principal: Principal, session: FeedbackSession) -> None:
    if principal.is_coordinator or (principal.ambassador_id and principal.ambassador_id in session.ambassador_ids):
        return
    raise Forbidden("Only a coordinator, or an ambassador named on this session, may print its feedback cards.")


def unused_tokens(db: Session, session: FeedbackSession, settings: FeedbackSettings) -> list[str]:
    """The session's tokens that can still answer, in minting order."""
    unused = repository.unused_hashes(db, session.session_id, utcnow())
    secret = settings.feedback_token_secret
    tokens = (session_token(secret, session.session_id, i, session.card_version) for i in range(session.tokens_minted))
    return [token for token in tokens if hash_token(secret, token) in unused]


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


def add_cards(db: Session, session_id: str, count: int, principal: Principal, settings: FeedbackSettings) -> int:
    """Mint ``count`` more cards for a completed session; how many extra cards it has now."""
    session = lock_session(db, session_id)
    if session is None or session.completed_at is None:
        raise SessionUnknown(f"No completed session {session_id} here; cards exist once the session is completed.")
    _may_print(principal, session)
    closes = window_closes(session, settings)
    if closes <= utcnow():
        raise CardsUnavailable("The feedback window of this session has closed; no more cards can answer.")
    extra = session.tokens_minted - session.attendance
    if extra + count > EXTRA_CARDS:
        raise TooManyCards(
            f"This session has {extra} extra card(s) beyond its attendance of {session.attendance} already; "
            f"at most {EXTRA_CARDS} in all. Correct the attendance if more people came."
        )
    first = session.tokens_minted
    cards.add_cards(db, session_id, range(first, first + count), closes, settings.feedback_token_secret)
    session.tokens_minted += count
    db.add(session)
    return extra + count
