"""An ambassador's feedback summary: figures pooled over at least three of their released sessions.

Why not one session's: an ambassador makes the session's cards, and with
spare cards could answer a few with known values beside one real attendee
and read that person's answers off the session's figures (the "padding"
attack, docs/THREAT_MODEL.md). The released counts carry noise that makes
this a guess already; an ambassador, who could pad, sees no single session
on top of that, only counts added up over at least
:data:`MIN_POOLED_SESSIONS` of theirs, shown by the same rule as every
report (``shared.released``). Coordinators and the provider's staff still
see each session's summary.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from scheduler.feedback_summaries import repository
from scheduler.feedback_summaries.models import SessionFeedback
from shared.released import WITHHELD, Asked, pool, summarise

__all__ = ["MIN_POOLED_SESSIONS", "pooled_summary"]

#: an ambassador's figures pool at least this many of their released sessions.
MIN_POOLED_SESSIONS = 3


def _released(db: Session, user_id: str) -> list[SessionFeedback]:
    return [kept for kept in repository.of_ambassador(db, user_id) if kept.counts.get("cells") is not None]


def pooled_summary(db: Session, user_id: str) -> dict[str, Any]:
    """The figures of every released session ``user_id`` runs, added up; nothing but how many
    sessions there are while there are fewer than :data:`MIN_POOLED_SESSIONS`."""
    released = _released(db, user_id)
    if len(released) < MIN_POOLED_SESSIONS:
        return {"sessions": len(released), "responses": None, "withheld": WITHHELD}
    latest = max(released, key=lambda kept: kept.received_at).counts
    questions = [Asked(q["id"], q["kind"], tuple(q["options"])) for q in latest["questions"]]
    k = max(int(kept.counts.get("min_group", 5)) for kept in released)
    responses = sum(int(kept.counts["responses"]) for kept in released)
    cells = pool([kept.counts["cells"] for kept in released])
    return {"sessions": len(released), **summarise(responses, cells, questions, k)}
