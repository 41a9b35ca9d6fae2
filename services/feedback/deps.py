"""Dependency aliases for the feedback service's routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from feedback.errors import FormNotFound
from feedback.settings import FeedbackSettings
from shared.ratelimit import rate_limited
from shared.web import runtime_of

__all__ = ["SettingsDep", "CODE_GUESSES_PER_MINUTE", "CodeGuessLimit"]

#: wrong feedback codes one client may try a minute, on every route that takes one together
#: (BRUG_RATE_LIMIT_PER_MINUTE {"feedback-code": n} overrides it); right codes are not counted.
CODE_GUESSES_PER_MINUTE = 20


def _settings(request: Request) -> FeedbackSettings:
    return runtime_of(request).settings  # type: ignore[return-value]


SettingsDep = Annotated[FeedbackSettings, Depends(_settings)]


#: for every route that looks up a feedback code (card or session link): ``dependencies=[CodeGuessLimit]``.
CodeGuessLimit = Depends(rate_limited("feedback-code", per_minute=CODE_GUESSES_PER_MINUTE, failures=(FormNotFound,)))
