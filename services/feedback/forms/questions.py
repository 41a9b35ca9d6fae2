"""The question set: versioned, so answers are always read with the questions they answered.

Kinds: ``faces`` (1–5, a face per value), ``yes_no`` (true/false, with icons),
``topics`` (any of the topic catalogue), ``text`` (optional, at most 500
characters, scrubbed of phone numbers and e-mail addresses on receipt).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from shared.topics import TOPICS

__all__ = ["Question", "QUESTION_SET_VERSION", "QUESTIONS", "by_id", "TEXT_LIMIT"]

Kind = Literal["faces", "yes_no", "topics", "text"]
QUESTION_SET_VERSION = 1
TEXT_LIMIT = 500


@dataclass(frozen=True)
class Question:
    id: str
    kind: Kind
    text: str
    options: tuple[str, ...] = ()


QUESTIONS: tuple[Question, ...] = (
    Question("useful", "faces", "How useful was this meeting for you?"),
    Question("felt_safe", "yes_no", "Did you feel safe here?"),
    Question("understood", "yes_no", "Could you follow the language?"),
    Question("recommend", "yes_no", "Would you tell a friend to come?"),
    Question("knew_help_before", "faces", "Before today: did you know where to find help?"),
    Question("knows_help_after", "faces", "Now: do you know where to find help?"),
    Question("topics_next", "topics", "What would you like to talk about next time?", TOPICS),
    Question("comment", "text", "Anything else you want to tell us? (Do not write names.)"),
)


def by_id() -> dict[str, Question]:
    return {question.id: question for question in QUESTIONS}
