"""Rules for feedback forms: a card answers once, the session link never beyond attendance.

A key is a card's code (printed, handed out at random), a personal link
(texted to one attendee who agreed; it answers once) or, for sessions
completed before personal links, the session's one shared link. All are
looked up by their keyed hash; link answers, with the cards', never exceed
the attendance; the answer keeps neither, and goes to the mixing pool
(feedback.forms.mixing), not straight to the answers table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from feedback.errors import AlreadyAnswered, FormExpired, FormFull, FormNotFound
from feedback.forms import mixing, repository
from feedback.forms.answers import clean_answers
from feedback.forms.questions import Question, current_set
from feedback.forms.schemas import FormPublic, QuestionPublic, Receipt, Submission
from feedback.pages.labels import TOPIC_FIELD_VALUES, TOPIC_LABELS
from feedback.settings import FeedbackSettings
from feedback.tokens import window
from feedback.tokens.minting import hash_token, key_hash
from feedback.tokens.models import FeedbackSession, FeedbackToken
from shared.events import utcnow
from shared.i18n import negotiate, text_direction, translate
from shared.titles import title_for

__all__ = ["Opened", "open_form", "submit", "for_sealed"]

_UNKNOWN = "We do not know this code. Check it letter by letter, or ask the person who gave you the card for a new one."


_USED = "This card has been used already. Thank you: that answer was received."
_LINK_USED = "This link has been used already. Thank you: that answer was received."


@dataclass(frozen=True)
class Opened:
    session: FeedbackSession
    card: FeedbackToken | None  # a card or a personal link; None: the shared link of an older session

    @property
    def via_link(self) -> bool:
        return self.card is None or self.card.link


def _resolve(db: Session, key: str, settings: FeedbackSettings, *, lock: bool) -> Opened:
    """The session a card or link belongs to, if it can still answer; whether it was spent is the caller's."""
    secret = settings.feedback_token_secret
    card = repository.card(db, key_hash(secret, key))
    if card is not None:
        session = repository.lock_session(db, card.session_id) if lock else db.get(FeedbackSession, card.session_id)
        assert session is not None
        _check_open(card.expires_at)
        return Opened(session, card)
    session = repository.session_by_link(db, hash_token(secret, key.strip()))
    if session is None or session.completed_at is None:
        raise FormNotFound(_UNKNOWN)
    completed_at = session.completed_at
    if lock:
        session = repository.lock_session(db, session.session_id)
        assert session is not None and session.completed_at is not None
        completed_at = session.completed_at
    _check_open(window.closes(completed_at, settings.feedback_token_days, session.timezone))
    return Opened(session, None)


def _for_form(db: Session, key: str, settings: FeedbackSettings, *, lock: bool) -> Opened:
    opened = _resolve(db, key, settings, lock=lock)
    if opened.card is not None and opened.card.used:
        raise AlreadyAnswered(_LINK_USED if opened.card.link else _USED)
    return opened


def _check_open(expires_at: datetime) -> None:
    if expires_at <= utcnow():
        raise FormExpired(f"This form closed on {expires_at:%d-%m-%Y}. Thank you for coming.")


def open_form(db: Session, key: str, locale: str, settings: FeedbackSettings) -> FormPublic:
    """The form in ``locale`` (or the nearest supported one, English at last): the set for the session's kind."""
    opened = _for_form(db, key, settings, lock=False)
    chosen = negotiate(locale)
    languages = opened.session.languages  # from the completion: a form opens only after it
    question_set = current_set(opened.session.audience)
    return FormPublic(
        title=title_for(chosen, opened.session.public_title or "", opened.session.public_titles, languages),
        locale=chosen,
        direction=text_direction(chosen),  # type: ignore[arg-type]  # text_direction() gives "ltr" or "rtl", typed str
        question_set=question_set.version,
        questions=[_public(question, chosen) for question in question_set.questions],
    )


def _public(question: Question, locale: str) -> QuestionPublic:
    """A question as the attendee's phone gets it: topics under opaque values and discreet names only
    (a shared phone keeps what it was sent; feedback.pages.labels)."""
    text = translate(locale, question.text)
    if question.kind != "topics":
        return QuestionPublic(id=question.id, kind=question.kind, text=text)
    offered = [topic for topic in question.options if topic in TOPIC_LABELS and topic in TOPIC_FIELD_VALUES]
    return QuestionPublic(
        id=question.id,
        kind=question.kind,
        text=text,
        options=[TOPIC_FIELD_VALUES[topic] for topic in offered],
        labels=[translate(locale, TOPIC_LABELS[topic]) for topic in offered],
    )


def submit(db: Session, key: str, data: Submission, settings: FeedbackSettings, *, answered_here: bool) -> Receipt:
    """Store one answer; ``answered_here`` says this browser already answered through the link."""
    opened = _for_form(db, key, settings, lock=True)
    session = opened.session
    question_set = current_set(session.audience)
    answers, comment = clean_answers(data.answers, question_set)
    if opened.via_link:
        if answered_here:
            raise AlreadyAnswered("You answered already from this phone. Thank you!")
        if session.link_answers + repository.used_cards(db, session.session_id) >= session.attendance:
            raise FormFull("Everyone from this meeting has answered already. Thank you!")
        repository.count_link_answer(db, session)
    if opened.card is not None and not repository.redeem_card(db, opened.card.token_hash, utcnow()):
        raise AlreadyAnswered(_USED)
    answer = {
        "kind": "answer",
        "question_set": question_set.version,
        "language": negotiate(data.locale).split("-")[0],
        "answers": answers,
        "comment": comment,
    }
    mixing.pool(db, session.session_id, answer, settings.feedback_token_secret)  # it leaves at the close
    return Receipt()


def for_sealed(db: Session, key: str, provider_id: str, settings: FeedbackSettings, *, spend: bool) -> FeedbackSession:
    """The session whose card or link may answer ``provider_id``'s sealed questionnaire; with ``spend``,
    that card is spent for it (once), or the link counted (never beyond the attendance)."""
    opened = _resolve(db, key, settings, lock=spend)
    session = opened.session
    if session.provider_id != provider_id:
        raise FormNotFound(_UNKNOWN)  # a card of another provider's session: as good as unknown here
    card = opened.card
    if card is not None and card.sealed_used:
        raise AlreadyAnswered("These questions were answered with this card already. Thank you.")
    if opened.via_link and session.link_sealed + repository.sealed_cards(db, session.session_id) >= session.attendance:
        raise FormFull("Everyone from this meeting has answered these questions already. Thank you!")
    if not spend:
        return session
    if card is not None and not repository.spend_sealed_card(db, card.token_hash):
        raise AlreadyAnswered("These questions were answered with this card already. Thank you.")
    if opened.via_link:
        session.link_sealed += 1
        db.add(session)
    return session
