"""Aggregates that single no one out.

Every figure is built from answers; a figure built from fewer than
``min_group`` answers is withheld, and so is any figure from which a
withheld one could be worked out by subtraction:

- a count is one cell of a partition (the five faces; yes and no; chose a
  topic and did not choose it). A cell under the threshold is withheld, and
  when only one cell of a partition is withheld, the smallest other one is
  too, so that the total minus the shown cells reveals nothing;
- a mean is withheld when fewer than ``min_group`` answered the question;
- with fewer than ``min_group`` answers in all, nothing but that fact is shown.

A withheld figure is ``None``; pages show it as "fewer than N answers".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from feedback.forms.questions import QUESTIONS

__all__ = ["summarise", "suppress_partition"]

Answers = Mapping[str, Any]


def suppress_partition(cells: Mapping[str, int], min_group: int) -> dict[str, int | None]:
    """The cells with small ones withheld, plus one more if a single withheld cell could be derived."""
    withheld = {name for name, count in cells.items() if count < min_group}
    if len(withheld) == 1 and len(cells) > 1:
        others = sorted((count, name) for name, count in cells.items() if name not in withheld)
        withheld.add(others[0][1])
    return {name: (None if name in withheld else count) for name, count in cells.items()}


def _mean(values: Sequence[float], min_group: int) -> float | None:
    return round(sum(values) / len(values), 2) if len(values) >= min_group else None


def _faces(answers: Sequence[Answers], qid: str, min_group: int) -> dict[str, Any]:
    values = [a[qid] for a in answers if qid in a]
    cells = {str(face): values.count(face) for face in range(1, 6)}
    return {"n": len(values), "mean": _mean(values, min_group), "distribution": suppress_partition(cells, min_group)}


def _yes_no(answers: Sequence[Answers], qid: str, min_group: int) -> dict[str, Any]:
    values = [a[qid] for a in answers if qid in a]
    cells = {"yes": values.count(True), "no": values.count(False)}
    return {"n": len(values), **suppress_partition(cells, min_group)}


def _topics(answers: Sequence[Answers], options: Sequence[str], min_group: int) -> dict[str, int | None]:
    """Each topic is its own partition of the answers: chose it, or did not."""
    shown: dict[str, int | None] = {}
    for topic in options:
        chose = sum(1 for a in answers if topic in a.get("topics_next", []))
        shown[topic] = suppress_partition({"chose": chose, "not": len(answers) - chose}, min_group)["chose"]
    return shown


def _knowledge_change(answers: Sequence[Answers], min_group: int) -> float | None:
    pairs = [
        a["knows_help_after"] - a["knew_help_before"]
        for a in answers
        if "knows_help_after" in a and "knew_help_before" in a
    ]
    return _mean(pairs, min_group)


def summarise(answers: Sequence[Answers], min_group: int) -> dict[str, Any]:
    """The report body for a set of answers (one session, or many sessions' pooled answers)."""
    if len(answers) < min_group:
        return {"responses": None, "withheld": f"fewer than {min_group} answers"}
    questions: dict[str, Any] = {}
    for question in QUESTIONS:
        if question.kind == "faces":
            questions[question.id] = _faces(answers, question.id, min_group)
        elif question.kind == "yes_no":
            questions[question.id] = _yes_no(answers, question.id, min_group)
        elif question.kind == "topics":
            questions[question.id] = _topics(answers, question.options, min_group)
    return {
        "responses": len(answers),
        "questions": questions,
        "knowledge_change": _knowledge_change(answers, min_group),
    }
