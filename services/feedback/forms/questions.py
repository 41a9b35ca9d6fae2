"""Question sets: one per session kind, versioned, so answers are always read with the questions they answered.

Kinds: ``faces`` (1–5, a face per value), ``yes_no`` (true/false, with icons),
``topics`` (any of the topic catalogue), ``text`` (optional, at most 500
characters, scrubbed of phone numbers and e-mail addresses on receipt).

Each set has a number, unique across kinds and stored with every answer.
A set is never changed once answers may use it: a new wording, or a question
added or dropped, is a new set with the next free number, and the session
kind then points to it. A question id keeps one meaning (and one kind) in
every set, so reports can pool answers from several sets by id.

Question texts are gettext message ids (shared/locales, one catalog per
locale); a test fails while a catalog lacks one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from shared.events import Audience
from shared.topics import TOPICS

__all__ = [
    "Question",
    "QuestionSet",
    "QUESTION_SETS",
    "CURRENT_SETS",
    "QUESTIONS",
    "QUESTION_SET_VERSION",
    "TEXT_LIMIT",
    "session_kind",
    "current_set",
    "all_questions",
]

Kind = Literal["faces", "yes_no", "topics", "text"]
TEXT_LIMIT = 500


@dataclass(frozen=True)
class Question:
    id: str
    kind: Kind
    text: str
    options: tuple[str, ...] = ()


@dataclass(frozen=True)
class QuestionSet:
    version: int
    session_kind: str
    questions: tuple[Question, ...]

    def by_id(self) -> dict[str, Question]:
        return {question.id: question for question in self.questions}


USEFUL = Question("useful", "faces", "How useful was this meeting for you?")
FELT_SAFE = Question("felt_safe", "yes_no", "Did you feel safe here?")
UNDERSTOOD = Question("understood", "yes_no", "Could you follow the language?")
RECOMMEND = Question("recommend", "yes_no", "Would you tell a friend to come?")
KNEW_BEFORE = Question("knew_help_before", "faces", "Before today: did you know where to find help?")
KNOWS_AFTER = Question("knows_help_after", "faces", "Now: do you know where to find help?")
TOPICS_NEXT = Question("topics_next", "topics", "What would you like to talk about next time?", TOPICS)
COMMENT = Question("comment", "text", "Anything else you want to tell us? (Do not write names.)")

#: version → set. Append only.
QUESTION_SETS: dict[int, QuestionSet] = {
    1: QuestionSet(
        1,
        "standard",
        (USEFUL, FELT_SAFE, UNDERSTOOD, RECOMMEND, KNEW_BEFORE, KNOWS_AFTER, TOPICS_NEXT, COMMENT),
    ),
    # Youth sessions: shorter, without the before/after pair (a comparison young
    # attendees found hard to answer alone).
    2: QuestionSet(2, "youth", (USEFUL, FELT_SAFE, UNDERSTOOD, RECOMMEND, KNOWS_AFTER, TOPICS_NEXT, COMMENT)),
}
#: session kind → the set its forms use now.
CURRENT_SETS: dict[str, int] = {"standard": 1, "youth": 2}

#: the standard set, as before sets had kinds.
QUESTION_SET_VERSION = CURRENT_SETS["standard"]
QUESTIONS = QUESTION_SETS[QUESTION_SET_VERSION].questions


def session_kind(audience: str) -> str:
    """The kind of session a form is for, from its audience (women, men, youth, ...)."""
    return "youth" if audience == Audience.YOUTH else "standard"


def current_set(audience: str) -> QuestionSet:
    return QUESTION_SETS[CURRENT_SETS[session_kind(audience)]]


def all_questions() -> tuple[Question, ...]:
    """Every question of every set, once each, in first-seen order: what reports count."""
    seen: dict[str, Question] = {}
    for question_set in QUESTION_SETS.values():
        for question in question_set.questions:
            seen.setdefault(question.id, question)
    return tuple(seen.values())
