"""Dependency aliases for the feedback service's routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from feedback.errors import FormNotFound
from feedback.settings import FeedbackSettings
from shared.ratelimit import Attempt, counted_attempt, rate_limited
from shared.web import runtime_of

__all__ = [
    "SettingsDep",
    "CODE_GUESSES_PER_MINUTE",
    "CodeGuessLimit",
    "CodeAttempt",
    "SEALED_ANSWERS_PER_MINUTE",
    "SealedAnswerLimit",
]

#: wrong feedback codes one client may try a minute, on every route that takes one together
#: (BRUG_RATE_LIMIT_PER_MINUTE {"feedback-code": n} overrides it); right codes are not counted.
CODE_GUESSES_PER_MINUTE = 20


async def _settings(request: Request) -> FeedbackSettings:
    return runtime_of(request).settings  # type: ignore[return-value]  # Runtime holds CommonSettings; this service's app was built with its own


SettingsDep = Annotated[FeedbackSettings, Depends(_settings)]


#: for every route that looks up a feedback code (card or session link): ``dependencies=[CodeGuessLimit]``.
CodeGuessLimit = Depends(rate_limited("feedback-code", per_minute=CODE_GUESSES_PER_MINUTE, failures=(FormNotFound,)))

#: the same family for the pages, which show a wrong code themselves: ``attempt.succeeded()`` when it was right.
CodeAttempt = Annotated[Attempt, Depends(counted_attempt("feedback-code", per_minute=CODE_GUESSES_PER_MINUTE))]

#: sealed answers need no card (anyone with the link may answer): so many envelopes a minute per client.
SEALED_ANSWERS_PER_MINUTE = 10
SealedAnswerLimit = Depends(rate_limited("sealed-answer", per_minute=SEALED_ANSWERS_PER_MINUTE))
