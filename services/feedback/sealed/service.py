"""Rules for sealed questionnaires: find one, find the one a session's attendees are offered, store an envelope.

The service never sees an answer: what it stores is a sealed box of one fixed
size (checked by :class:`~feedback.sealed.schemas.SealedSubmission`), a random
id and the date. An envelope needs a feedback card or the session link of a
session the provider co-ran, spent on use like the form (so nobody can fill
the provider's box with made-up envelopes), and goes through the mixing pool
(feedback.forms.mixing), so it cannot be told from the card that sent it.
"""

from __future__ import annotations

from sqlmodel import Session

from feedback.errors import QuestionnaireNotFound
from feedback.forms import mixing
from feedback.forms import repository as forms
from feedback.forms import service as forms_service
from feedback.sealed import repository
from feedback.sealed.models import Questionnaire
from feedback.sealed.schemas import SealedExportRow, SealedSubmission
from feedback.settings import FeedbackSettings
from feedback.tokens.minting import hash_token, key_hash
from feedback.tokens.models import FeedbackSession

__all__ = ["existing", "latest_for_provider", "for_form_key", "store", "envelopes"]


def existing(db: Session, questionnaire_id: str) -> Questionnaire:
    questionnaire = db.get(Questionnaire, questionnaire_id) if len(questionnaire_id) <= 32 else None
    if questionnaire is None:
        raise QuestionnaireNotFound(f"No questionnaire {questionnaire_id[:32]}; check the link.")
    return questionnaire


def latest_for_provider(db: Session, provider_id: str) -> Questionnaire | None:
    """The provider's newest questionnaire: registering a new one replaces the one attendees are offered."""
    return repository.latest_for_provider(db, provider_id)


def for_form_key(db: Session, key: str, secret: str) -> Questionnaire | None:
    """The questionnaire of the provider that co-ran the session a feedback key (card or link) belongs to."""
    card = forms.card(db, key_hash(secret, key))
    session = db.get(FeedbackSession, card.session_id) if card else forms.session_by_link(db, hash_token(secret, key))
    if session is None or not session.provider_id:
        return None
    return latest_for_provider(db, session.provider_id)


def store(db: Session, questionnaire_id: str, submission: SealedSubmission, settings: FeedbackSettings) -> None:
    """Spend the submission's key (a card or the session link) on it, and pool the envelope for mixing."""
    questionnaire = existing(db, questionnaire_id)
    session = forms_service.for_sealed(db, submission.key, questionnaire.provider_id, settings, spend=True)
    envelope = {"kind": "sealed", "questionnaire_id": questionnaire.id, "ciphertext": submission.ciphertext}
    mixing.pool(db, session.session_id, envelope, settings.feedback_token_secret)
    mixing.mix(db, session, settings, closing=False)


def envelopes(db: Session, questionnaire_id: str) -> list[SealedExportRow]:
    """The ciphertexts stored for the questionnaire, for its provider to open offline."""
    rows = repository.envelopes(db, questionnaire_id)
    return [SealedExportRow(id=r.id, submitted_on=r.submitted_on, ciphertext=r.ciphertext) for r in rows]
