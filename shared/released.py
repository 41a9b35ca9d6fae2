"""Released feedback figures: how the noisy counts of answers are shown, by both services that show them.

The feedback service releases each session's answers once, as counts with
differential-privacy noise added (feedback.reports.release). Every report is
worked out from those noisy counts, in the feedback service (provider and
session reports) and in the scheduler (an ambassador's summary over several
sessions); both show them through :func:`summarise`, so one rule holds:

- with fewer than ``k`` responses, nothing but that is shown;
- a count is one cell of a partition (the five faces; yes and no; chose a
  topic and did not). A cell under ``k`` is withheld, and when only one cell
  of a partition is withheld the smallest other one is too, so that the
  total minus the shown cells reveals nothing;
- a mean is never shown when a cell of its question is withheld: the mean
  and the count would give the withheld cells back.

Counts are given flat, ``question:value`` → count (``useful:4``,
``felt_safe:yes``, ``topics_next:health_system``), as the feedback service
keeps them. A noisy count may be below zero; it is shown as withheld.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["Asked", "WITHHELD", "FACES", "suppress_partition", "summarise", "pool"]

#: what a withheld figure says, wherever it is shown (a withheld cell may hold more than k answers).
WITHHELD = "withheld to protect small groups"
FACES = ("1", "2", "3", "4", "5")
Kind = Literal["faces", "yes_no", "topics"]


@dataclass(frozen=True)
class Asked:
    """A question as reports need it: its id, its kind, and the topics it offers (topics only)."""

    id: str
    kind: Kind
    options: tuple[str, ...] = ()

    def values(self) -> tuple[str, ...]:
        if self.kind == "faces":
            return FACES
        return ("yes", "no") if self.kind == "yes_no" else self.options


def suppress_partition(cells: Mapping[str, int], k: int) -> dict[str, int | None]:
    """The cells with small ones withheld, plus one more if a single withheld cell could be derived."""
    withheld = {name for name, count in cells.items() if count < k}
    if len(withheld) == 1 and len(cells) > 1:
        others = sorted((count, name) for name, count in cells.items() if name not in withheld)
        withheld.add(others[0][1])
    return {name: (None if name in withheld else count) for name, count in cells.items()}


def pool(counts: Sequence[Mapping[str, int]]) -> dict[str, int]:
    """Counts added up, cell by cell (noise below zero included, so that sums stay unbiased)."""
    added: dict[str, int] = {}
    for one in counts:
        for name, value in one.items():
            added[name] = added.get(name, 0) + int(value)
    return added


def _shown(count: int, k: int) -> int | None:
    return count if count >= k else None


def _faces(cells: Mapping[str, int], k: int) -> dict[str, Any]:
    shown = suppress_partition(cells, k)
    n = sum(max(count, 0) for count in cells.values())
    mean = None
    if all(value is not None for value in shown.values()) and n >= k:
        mean = round(sum(int(face) * cells[face] for face in FACES) / n, 2)
    return {"n": _shown(n, k), "mean": mean, "distribution": shown}


def _yes_no(cells: Mapping[str, int], k: int) -> dict[str, Any]:
    n = max(cells["yes"], 0) + max(cells["no"], 0)
    return {"n": _shown(n, k), **suppress_partition(cells, k)}


def _topics(cells: Mapping[str, int], responses: int, k: int) -> dict[str, int | None]:
    """Each topic is its own partition of the answers: chose it, or did not."""
    return {
        topic: suppress_partition({"chose": chose, "not": responses - chose}, k)["chose"]
        for topic, chose in cells.items()
    }


def summarise(responses: int, counts: Mapping[str, int], questions: Sequence[Asked], k: int) -> dict[str, Any]:
    """The report body for ``responses`` answers counted as ``counts`` (flat, see the module)."""
    if responses < k:
        return {"responses": None, "withheld": WITHHELD}
    shown: dict[str, Any] = {}
    for question in questions:
        cells = {value: int(counts.get(f"{question.id}:{value}", 0)) for value in question.values()}
        if question.kind == "faces":
            shown[question.id] = _faces(cells, k)
        elif question.kind == "yes_no":
            shown[question.id] = _yes_no(cells, k)
        else:
            shown[question.id] = _topics(cells, responses, k)
    return {"responses": responses, "questions": shown, "knowledge_change": _change(shown)}


def _change(shown: Mapping[str, Any]) -> float | None:
    """After minus before, from the two questions' means: only when both are shown."""
    before, after = shown.get("knew_help_before"), shown.get("knows_help_after")
    if not before or not after or before["mean"] is None or after["mean"] is None:
        return None
    change: float = after["mean"] - before["mean"]
    return round(change, 2)
