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

Reports are built from a :class:`Tally`, the counts of each answer to each
question. The database counts them (``reports.repository.tallies``, one
GROUP BY over the answers); tallies of sessions add up, so pooling many
sessions costs nothing per answer. :func:`tally` counts a list of answers
the same way, in Python.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from feedback.forms.questions import all_questions

__all__ = ["Tally", "tally", "total", "summarise", "summarise_tally", "suppress_partition", "cell", "FACES"]

Answers = Mapping[str, Any]
FACES = range(1, 6)


def cell(question_id: str, value: object) -> str:
    """A tally's key for one answer value: ``useful:4``, ``felt_safe:yes``, ``topics_next:health_system``."""
    if isinstance(value, bool):
        value = "yes" if value else "no"
    return f"{question_id}:{value}"


@dataclass
class Tally:
    """How many gave each answer to each question (a topic counts once per answer that chose it)."""

    responses: int = 0
    cells: Counter[str] = field(default_factory=Counter)
    #: the sum of (knows_help_after - knew_help_before) over the answers that give both, and how many do.
    change_total: int = 0
    change_count: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            self.responses + other.responses,
            self.cells + other.cells,
            self.change_total + other.change_total,
            self.change_count + other.change_count,
        )


def tally(answers: Sequence[Answers]) -> Tally:
    """Count a list of answers (as stored) the way the database does."""
    counted = Tally(responses=len(answers))
    questions = [q for q in all_questions() if q.kind != "text"]
    for answer in answers:
        for question in questions:
            value = answer.get(question.id)
            if value is None:
                continue
            for one in value if question.kind == "topics" else [value]:
                counted.cells[cell(question.id, one)] += 1
        if "knows_help_after" in answer and "knew_help_before" in answer:
            counted.change_total += answer["knows_help_after"] - answer["knew_help_before"]
            counted.change_count += 1
    return counted


def total(tallies: Iterable[Tally]) -> Tally:
    return sum(tallies, Tally())


def suppress_partition(cells: Mapping[str, int], min_group: int) -> dict[str, int | None]:
    """The cells with small ones withheld, plus one more if a single withheld cell could be derived."""
    withheld = {name for name, count in cells.items() if count < min_group}
    if len(withheld) == 1 and len(cells) > 1:
        others = sorted((count, name) for name, count in cells.items() if name not in withheld)
        withheld.add(others[0][1])
    return {name: (None if name in withheld else count) for name, count in cells.items()}


def _mean(total_value: float, count: int, min_group: int) -> float | None:
    return round(total_value / count, 2) if count >= min_group else None


def _faces(counted: Tally, qid: str, min_group: int) -> dict[str, Any]:
    cells = {str(face): counted.cells[cell(qid, face)] for face in FACES}
    n = sum(cells.values())
    mean = _mean(sum(face * cells[str(face)] for face in FACES), n, min_group)
    return {"n": n, "mean": mean, "distribution": suppress_partition(cells, min_group)}


def _yes_no(counted: Tally, qid: str, min_group: int) -> dict[str, Any]:
    cells = {"yes": counted.cells[cell(qid, True)], "no": counted.cells[cell(qid, False)]}
    return {"n": cells["yes"] + cells["no"], **suppress_partition(cells, min_group)}


def _topics(counted: Tally, qid: str, options: Sequence[str], min_group: int) -> dict[str, int | None]:
    """Each topic is its own partition of the answers: chose it, or did not."""
    shown: dict[str, int | None] = {}
    for topic in options:
        chose = counted.cells[cell(qid, topic)]
        shown[topic] = suppress_partition({"chose": chose, "not": counted.responses - chose}, min_group)["chose"]
    return shown


def summarise_tally(counted: Tally, min_group: int) -> dict[str, Any]:
    """The report body for a tally (one session, or many sessions' tallies added up)."""
    if counted.responses < min_group:
        return {"responses": None, "withheld": f"fewer than {min_group} answers"}
    questions: dict[str, Any] = {}
    for question in all_questions():
        if question.kind == "faces":
            questions[question.id] = _faces(counted, question.id, min_group)
        elif question.kind == "yes_no":
            questions[question.id] = _yes_no(counted, question.id, min_group)
        elif question.kind == "topics":
            questions[question.id] = _topics(counted, question.id, question.options, min_group)
    return {
        "responses": counted.responses,
        "questions": questions,
        "knowledge_change": _mean(counted.change_total, counted.change_count, min_group),
    }


def summarise(answers: Sequence[Answers], min_group: int) -> dict[str, Any]:
    """The report body for a list of answers."""
    return summarise_tally(tally(answers), min_group)
