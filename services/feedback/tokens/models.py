"""Completed sessions and the hashes of their single-use feedback tokens."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from shared.events import Audience

__all__ = ["FeedbackSession", "FeedbackToken"]


class FeedbackSession(SQLModel, table=True):
    """A session as the feedback service knows it: public title when published, counts when completed."""

    __tablename__ = "feedback_session"

    session_id: str = Field(primary_key=True, max_length=32)
    public_title: str | None = Field(default=None, max_length=120)
    #: the public title per language, by locale, from scheduling.session.published (shared.titles picks the
    #: reader's); None: none given, or published before they were kept.
    public_titles: dict[str, str] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    provider_id: str | None = Field(default=None, max_length=64)
    attendance: int = 0
    languages: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    audience: str = Field(default=Audience.OPEN, max_length=20)
    #: staff user ids of its ambassadors, who may print its cards (with coordinators).
    ambassador_ids: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    tokens_minted: int = 0
    completed_at: datetime | None = None
    #: the venue's zone (from scheduling.session.published): the feedback window is counted on its clock
    #: (feedback.tokens.window); None for sessions stored before it was kept.
    timezone: str | None = Field(default=None, max_length=64)
    #: how its cards were minted (feedback.tokens.minting): 2, short typeable codes with keyed hashes;
    #: 1, long tokens with keyed hashes; 0, long tokens with plain SHA-256 hashes, from before keyed
    #: hashes, re-keyed to 1 when the service starts (feedback.tokens.rekey).
    card_version: int = 2
    #: keyed hash of the one feedback link shared by everyone who agreed to an SMS, for sessions completed
    #: before personal links (card_version below 2); None since.
    link_hash: str | None = Field(default=None, max_length=64, index=True)
    #: answers given through that link; with used cards they never exceed the attendance.
    link_answers: int = 0
    #: sealed questionnaires answered through that link; with cards' ones, never beyond the attendance.
    link_sealed: int = 0
    #: when feedback.report.published went out (after the window closed); None until then.
    report_published_at: datetime | None = None


class FeedbackToken(SQLModel, table=True):
    """Only a keyed hash: the database cannot hand out a token, and without the token secret nobody
    holding the printed cards can find a card's row."""

    __tablename__ = "feedback_token"

    token_hash: str = Field(primary_key=True, max_length=64)
    session_id: str = Field(index=True, max_length=32)
    expires_at: datetime
    #: a flag, not a time: when a card was used could be matched to when an answer arrived.
    used: bool = False
    #: the card answered its provider's sealed questionnaire (once, like the form).
    sealed_used: bool = False
    #: a personal link texted to one attendee rather than a printed card: counted with the link answers,
    #: which with the cards' never exceed the attendance.
    link: bool = False
