"""Handlers for the scheduler's events: remember the public title (and those per language), mint tokens
on completion, withdraw the unused ones when a completion is undone (scheduler.sessions.reopening)."""

from __future__ import annotations

from sqlmodel import Session

from feedback.settings import FeedbackSettings
from feedback.tokens import repository, window
from feedback.tokens.models import FeedbackSession
from shared import outbox
from shared.events import Envelope, InvitationsReady, SessionCompleted, SessionPublished, SessionReopened

__all__ = ["on_session_published", "on_session_completed", "on_session_reopened"]


def on_session_published(db: Session, event: SessionPublished, envelope: Envelope) -> None:
    session = db.get(FeedbackSession, event.session_id) or FeedbackSession(session_id=event.session_id)
    session.public_title = event.public_title
    session.public_titles = event.public_titles
    session.provider_id = event.provider_id
    session.ambassador_ids = event.ambassador_ids
    session.timezone = event.timezone
    db.add(session)


def on_session_completed(settings: FeedbackSettings, db: Session, event: SessionCompleted, envelope: Envelope) -> None:
    """One card per counted attendee (no silent margin: spare cards could pad a report; a few more
    are asked for openly, feedback.cards.service.add_cards) and one personal link per counted
    attendee for the notifier to text, each answering once, all as keyed hashes."""
    session = db.get(FeedbackSession, event.session_id) or FeedbackSession(session_id=event.session_id)
    if session.completed_at is not None:
        return
    count = event.attendance
    session.provider_id, session.attendance, session.languages = event.provider_id, event.attendance, event.languages
    session.audience, session.tokens_minted, session.completed_at = event.audience, count, envelope.occurred_at
    if event.ambassador_ids:
        session.ambassador_ids = event.ambassador_ids
    secret = settings.feedback_token_secret
    db.add(session)
    expires = window.closes(envelope.occurred_at, settings.feedback_token_days, session.timezone)
    repository.add_cards(db, event.session_id, range(count), expires, secret)
    links = repository.add_links(db, event.session_id, count, expires, secret)
    base = f"{settings.feedback_public_url.rstrip('/')}/f/"
    ready = InvitationsReady(
        session_id=event.session_id, feedback_links=[base + link for link in links], expires_at=expires
    )
    outbox.record(db, ready, producer="feedback")


def on_session_reopened(db: Session, event: SessionReopened, envelope: Envelope) -> None:
    """The completion was undone: the cards and links that have not answered are withdrawn (answers given
    stay, and so do the used cards, which a new completion does not mint again)."""
    session = db.get(FeedbackSession, event.session_id)
    if session is None or session.completed_at is None:
        return
    repository.withdraw_unused(db, event.session_id)
    session.completed_at, session.tokens_minted = None, 0
    db.add(session)
