"""Rules for sealed questionnaires: find one, find the one a session's attendees are offered, store an envelope.

The service never sees an answer: what it stores is a sealed box of one fixed
size (checked by :class:`~feedback.sealed.schemas.SealedSubmission`), a random
id and the date.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from feedback.errors import QuestionnaireNotFound
from feedback.forms import repository as forms
from feedback.sealed.models import Questionnaire, SealedAnswer
from feedback.sealed.schemas import SealedSubmission
from feedback.tokens.minting import hash_token, typed_code
from feedback.tokens.models import FeedbackSession
from shared.events import utcnow

__all__ = ["existing", "latest_for_provider", "for_form_key", "store"]


def existing(db: Session, questionnaire_id: str) -> Questionnaire:
    questionnaire = db.get(Questionnaire, questionnaire_id) if len(questionnaire_id) <= 32 else None
    if questionnaire is None:
        raise QuestionnaireNotFound(f"No questionnaire {questionnaire_id[:32]}; check the link.")
    return questionnaire


def latest_for_provider(db: Session, provider_id: str) -> Questionnaire | None:
    """The provider's newest questionnaire: registering a new one replaces the one attendees are offered."""
    query = (
        select(Questionnaire)
        .where(Questionnaire.provider_id == provider_id)
        .order_by(col(Questionnaire.created_at).desc(), col(Questionnaire.id))
    )
    return db.exec(query).first()


def for_form_key(db: Session, key: str, secret: str) -> Questionnaire | None:
    """The questionnaire of the provider that co-ran the session a feedback key (card or link) belongs to.

    Only the provider is looked up: the questionnaire's link is the same for
    everyone that provider asks, so following it says nothing about which
    card or session someone came from.
    """
    card = forms.card(db, hash_token(secret, typed_code(key)))
    session = db.get(FeedbackSession, card.session_id) if card else forms.session_by_link(db, hash_token(secret, key))
    if session is None or not session.provider_id:
        return None
    return latest_for_provider(db, session.provider_id)


def store(db: Session, questionnaire_id: str, submission: SealedSubmission) -> None:
    """Keep one envelope: ciphertext and the day, nothing about who sent it."""
    existing(db, questionnaire_id)
    db.add(
        SealedAnswer(questionnaire_id=questionnaire_id, ciphertext=submission.ciphertext, submitted_on=utcnow().date())
    )
