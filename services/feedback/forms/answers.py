"""Checking answers against the question set; free text is scrubbed on receipt.

Topics are answered with the opaque values the form offers (``t7``, feedback.pages.labels) and
stored as the catalogue's ids; an id sent by a form opened before the values were opaque is read
as it is. A refusal names the opaque values, never the ids, which name the topics.
"""

from __future__ import annotations

from typing import Any

from feedback.errors import BadAnswer
from feedback.forms.questions import TEXT_LIMIT, Question, QuestionSet
from feedback.pages.labels import TOPIC_FIELD_VALUES, TOPIC_FROM_FIELD
from shared.redaction import scrub_comment

__all__ = ["clean_answers"]


def _clean(question: Question, value: Any) -> Any:
    if question.kind == "faces":
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            raise BadAnswer(f"{question.id}: choose a face from 1 to 5")
        return value
    if question.kind == "yes_no":
        if not isinstance(value, bool):
            raise BadAnswer(f"{question.id}: answer yes (true) or no (false)")
        return value
    if question.kind == "topics":
        texts = isinstance(value, list) and all(isinstance(v, str) for v in value)
        chosen = [TOPIC_FROM_FIELD.get(v, v) for v in value] if texts else None
        if chosen is None or not all(topic in question.options for topic in chosen):
            offered = [TOPIC_FIELD_VALUES[topic] for topic in question.options if topic in TOPIC_FIELD_VALUES]
            raise BadAnswer(f"{question.id}: choose from {', '.join(offered)}")
        return sorted(set(chosen))
    if not isinstance(value, str) or len(value) > TEXT_LIMIT:
        raise BadAnswer(f"{question.id}: write at most {TEXT_LIMIT} characters")
    return scrub_comment(value.strip()) or None


def clean_answers(answers: dict[str, Any], question_set: QuestionSet) -> tuple[dict[str, Any], str | None]:
    """(answers without the free text, the scrubbed free text); ids not in ``question_set`` are refused."""
    questions = question_set.by_id()
    unknown = sorted(set(answers) - set(questions))
    if unknown:
        raise BadAnswer(f"this form has no question {', '.join(unknown)}")
    cleaned = {qid: _clean(questions[qid], value) for qid, value in answers.items() if value is not None}
    comment = cleaned.pop("comment", None)
    return cleaned, comment
