"""A submitted HTML form → the API's answers (every question optional, as in the API).

Topics come as the form's opaque values (``t7``), which the API reads back to
the catalogue's ids (feedback.forms.answers).
"""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData

from feedback.forms.schemas import QuestionPublic

__all__ = ["answers_from"]


def answers_from(form: FormData, questions: list[QuestionPublic]) -> dict[str, Any]:
    """Only what was answered; a value the form could not have sent is passed on for the API to refuse."""
    answers: dict[str, Any] = {}
    for question in questions:
        if question.kind == "topics":
            chosen = form.getlist(question.id)
            if chosen:
                answers[question.id] = [str(value) for value in chosen]
            continue
        value = form.get(question.id)
        if not isinstance(value, str) or not value.strip():
            continue
        if question.kind == "faces":
            answers[question.id] = int(value) if value.isdigit() else value
        elif question.kind == "yes_no":
            answers[question.id] = {"yes": True, "no": False}.get(value, value)
        else:
            answers[question.id] = value.strip()
    return answers
