"""Differential-privacy noise for a session's released counts, drawn by OpenDP.

Why noise at all: k-suppression alone let an ambassador with spare cards read
one real answer back (four known answers, one real, the mean gave it), and a
withheld cell came back from a mean or from two filtered reports. With
noise, every released count is only likely near the true one, and how much
one person can shift what is seen is bounded by ε (``BRUG_DP_EPSILON``).

The budget ε covers all of one session's answers and is spent once, when the
session is released. A person adds, at most: 1 to the response count, 1 cell
to each faces or yes/no question, and one cell per topic they chose (up to
every topic) to the topics question. The budget is split in proportion to
those sensitivities, so each quantity gets ``ε · Δ / ΣΔ`` and every cell gets
discrete Laplace noise of the same scale ``ΣΔ / ε``. :func:`scale_for` asks
OpenDP what each part costs (``Measurement.map``) and refuses a split whose
parts do not add up to ε.

Answers are counted per language group, and each answer is in exactly one
group, so by parallel composition the groups together cost the same ε as one.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from functools import cache

import opendp.prelude as dp

from feedback.reports.aggregate import Tally, cell
from shared.released import Asked

__all__ = ["sensitivities", "scale_for", "add_noise"]

dp.enable_features("contrib")


def sensitivities(questions: Sequence[Asked]) -> dict[str, int]:
    """How many counts one person's answers can add to, per released quantity (L1 sensitivity)."""
    found = {"responses": 1}
    for question in questions:
        found[question.id] = len(question.options) if question.kind == "topics" else 1
    return found


def _mechanism(scale: float) -> dp.Measurement:
    """Discrete Laplace noise of ``scale`` on every count of a vector of counts."""
    space = dp.vector_domain(dp.atom_domain(T=int)), dp.l1_distance(T=int)
    mechanism: dp.Measurement = space >> dp.m.then_laplace(scale=scale)  # OpenDP's chaining on a tuple is untyped
    return mechanism


def scale_for(epsilon: float, questions: Sequence[Asked]) -> float:
    """The noise scale that spends exactly ``epsilon`` on a release of ``questions``, checked by OpenDP."""
    return _checked_scale(epsilon, tuple(questions))


@cache
def _checked_scale(epsilon: float, questions: tuple[Asked, ...]) -> float:
    """Worked out and checked once per budget and questions (OpenDP's check took a fifth of a report's time)."""
    spread = sensitivities(questions)
    scale = sum(spread.values()) / epsilon
    mechanism = _mechanism(scale)
    spent = sum(mechanism.map(d_in) for d_in in spread.values())
    if not math.isclose(spent, epsilon, rel_tol=1e-9):
        raise ValueError(f"the split spends ε = {spent}, not the budget {epsilon}")
    return scale


def _names(questions: Sequence[Asked]) -> list[str]:
    return [cell(q.id, value) for q in questions for value in q.values()]


def add_noise(groups: Mapping[str, Tally], questions: Sequence[Asked], scale: float) -> dict[str, Tally]:
    """Each group's tally with noise on its response count and on every cell (zero cells too, so
    that which cells exist says nothing)."""
    names = _names(questions)
    mechanism = _mechanism(scale)
    noisy: dict[str, Tally] = {}
    for group, counted in groups.items():
        drawn = mechanism([counted.responses, *(counted.cells.get(name, 0) for name in names)])
        noisy[group] = Tally(drawn[0], Counter(dict(zip(names, drawn[1:], strict=True))))
    return noisy
