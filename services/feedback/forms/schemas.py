"""Request and response bodies for feedback forms."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

__all__ = ["QuestionPublic", "FormPublic", "Submission", "Receipt"]


class QuestionPublic(BaseModel):
    id: str
    kind: str
    text: str
    #: for topics: the opaque values to answer with (``t1``...), never the topics' ids, which name them
    options: list[str] = []
    #: for topics: each option's discreet name in the form's language
    labels: list[str] = []


class FormPublic(BaseModel):
    """What an attendee sees: the discreet public title only."""

    title: str
    locale: str
    direction: Literal["ltr", "rtl"]
    question_set: int
    questions: list[QuestionPublic]


class Submission(BaseModel):
    locale: str = Field(default="en", max_length=16)
    answers: dict[str, Any] = Field(description="question id → answer; every question is optional")


class Receipt(BaseModel):
    status: Literal["thanks"] = "thanks"
    detail: str = "Thank you. Your answer was received; nobody can see who gave it."
