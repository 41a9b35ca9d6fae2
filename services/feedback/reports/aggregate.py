"""Tallies of answers, and the report body shown for one.

A :class:`Tally` is how many gave each answer to each question. The true
tally of a session is counted once, when its answers are released
(``reports.release``), and never shown: what is kept and shown is the tally
with noise added (``reports.noise``). Tallies add up, so a provider's report
over many sessions adds their released tallies, and pooling costs no further
privacy (it only reads figures already released).

How a tally is shown (what is withheld, when a mean is given) is
``shared.released.summarise``, the rule the scheduler applies too. The
database counts tallies (``reports.repository.tallies``, one GROUP BY over the
answers); :func:`tally` counts a list of answers the same way, in Python.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from feedback.forms.questions import all_questions
from shared.released import Asked, summarise

__all__ = ["Tally", "tally", "total", "summarise_tally", "asked", "cell", "FACES"]

Answers = Mapping[str, Any]
FACES = range(1, 6)


def cell(question_id: str, value: object) -> str:
    """A tally's key for one answer value: ``useful:4``, ``felt_safe:yes``, ``topics_next:health_system``."""
    if isinstance(value, bool):
        value = "yes" if value else "no"
    return f"{question_id}:{value}"


def asked() -> list[Asked]:
    """The questions reports count: every question but free text, by id (a set's questions share ids)."""
    return [Asked(q.id, q.kind, q.options) for q in all_questions() if q.kind != "text"]


@dataclass
class Tally:
    """How many gave each answer to each question (a topic counts once per answer that chose it).

    A released tally holds noisy counts, which may be below zero."""

    responses: int = 0
    cells: Counter[str] = field(default_factory=Counter)

    def __add__(self, other: Tally) -> Tally:
        cells = Counter(self.cells)
        cells.update(other.cells)  # update, not +: a Counter's + drops counts below one
        return Tally(self.responses + other.responses, cells)

    def as_json(self) -> dict[str, Any]:
        return {"responses": self.responses, "cells": dict(sorted(self.cells.items()))}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Tally:
        return cls(int(data["responses"]), Counter({k: int(v) for k, v in data["cells"].items()}))


def tally(answers: Sequence[Answers]) -> Tally:
    """Count a list of answers (as stored) the way the database does."""
    counted = Tally(responses=len(answers))
    for answer in answers:
        for question in asked():
            value = answer.get(question.id)
            if value is None:
                continue
            for one in value if question.kind == "topics" else [value]:
                counted.cells[cell(question.id, one)] += 1
    return counted


def total(tallies: Iterable[Tally]) -> Tally:
    return sum(tallies, Tally())


def summarise_tally(counted: Tally, min_group: int) -> dict[str, Any]:
    """The report body for a (released) tally: one session's, or many sessions' added up."""
    return summarise(counted.responses, counted.cells, asked(), min_group)
