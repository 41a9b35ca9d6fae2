"""What would stop a planned session, found before it is saved: every problem, not just the first.

``sessions.planning.check_plan`` (what saving runs) stops at the first rule a
plan breaks. A planner fixing a form wants to see all of them at once, so
when that check fails this also runs its parts on their own: the venue's
opening hours, the room, and the ambassadors, each with the scheduler's
own functions and wording. Nothing is written; the room and the ambassadors
are locked only until the request's transaction ends, as when saving.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypedDict

from sqlmodel import Session

from scheduler.errors import CapacityTooLarge, OutsideOpeningHours, SessionClash
from scheduler.sessions import planning
from scheduler.sessions.clashes import ensure_no_clash
from scheduler.settings import SchedulerSettings
from scheduler.venues.hours import ensure_open
from scheduler.venues.models import Room
from shared.pages import N_

__all__ = ["Problem", "problems", "KINDS"]

#: each kind of problem and its heading (a message id); the detail is the scheduler's own text.
KINDS = {
    "capacity": N_("Too many places for this room"),
    "hours": N_("The venue is closed then"),
    "room": N_("The room is taken"),
    "ambassador": N_("An ambassador is busy"),
    "clocks": N_("The clocks skip this time"),
}


class _Span(TypedDict):
    """When a planned session takes its room and ambassadors (``ensure_no_clash``'s arguments)."""

    starts_at: datetime
    ends_at: datetime
    buffer: timedelta
    exclude_id: str | None


@dataclass(frozen=True)
class Problem:
    kind: str
    detail: str

    @property
    def heading(self) -> str:
        return KINDS[self.kind]


def problems(
    db: Session, plan: planning.Plan, settings: SchedulerSettings, *, exclude_id: str | None = None
) -> list[Problem]:
    """Every rule ``plan`` breaks (empty when saving it would pass the same checks)."""
    try:
        planning.check_plan(db, plan, settings, exclude_id=exclude_id)
    except (CapacityTooLarge, OutsideOpeningHours, SessionClash) as first:
        found = [Problem("capacity", first.detail)] if isinstance(first, CapacityTooLarge) else []
    else:
        return []
    buffer = timedelta(minutes=settings.clash_buffer_minutes)
    span: _Span = {"starts_at": plan.starts_at, "ends_at": plan.ends_at, "buffer": buffer, "exclude_id": exclude_id}
    checks: list[tuple[str, Callable[[], None]]] = [
        ("hours", lambda: ensure_open(db, plan.venue, plan.starts_at, plan.ends_at)),
        ("room", lambda: ensure_no_clash(db, room=plan.room, ambassador_ids=[], **span)),
    ]
    if plan.ambassador_ids:
        # a room that holds no session, so only the ambassadors can clash
        nowhere = Room(id="", venue_id=plan.venue.id, name=plan.room.name, capacity=plan.room.capacity)
        checks.append(
            ("ambassador", lambda: ensure_no_clash(db, room=nowhere, ambassador_ids=plan.ambassador_ids, **span))
        )
    for kind, check in checks:
        try:
            check()
        except (OutsideOpeningHours, SessionClash) as error:
            found.append(Problem(kind, error.detail))
    return found
