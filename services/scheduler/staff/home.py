"""``/staff``: the sessions a person works on, this week first.

Coordinators see every session, ambassadors the ones they run, provider
staff their organisation's (``sessions.service.list_sessions`` decides).
Sessions that have ended but were never closed are listed on top: closing
one is what releases the attendance and the feedback cards.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from fastapi import APIRouter
from fastapi.responses import Response

from scheduler.sessions import seats
from scheduler.sessions import service as sessions
from scheduler.sessions.filters import SessionFilters
from scheduler.sessions.models import SessionStatus
from scheduler.sessions.schemas import SessionPublic
from scheduler.staff.common import HOME_ZONE, Desk, DeskDep, today
from scheduler.venues import service as venues

__all__ = ["router", "SessionRow", "rows"]

router = APIRouter(include_in_schema=False)

#: ended sessions still open are shown for this long (then they are a coordinator's business).
UNCLOSED_DAYS = 14
LIMIT = 200


@dataclass(frozen=True)
class SessionRow:
    session: SessionPublic
    venue: str
    room: str

    @property
    def taken(self) -> int:
        """Seats taken by the seat rule (sessions.seats), shown against the capacity."""
        return seats.taken(self.session.confirmed, self.session.group_seats)

    @property
    def ended(self) -> bool:
        return self.session.ends_at <= datetime.now(HOME_ZONE)


def rows(desk: Desk, found: list[SessionPublic]) -> list[SessionRow]:
    places = {v.id: v for v in venues.list_venues(desk.db)}
    result = []
    for info in found:
        venue = places.get(info.venue_id)
        room = next((r.name for r in venue.rooms if r.id == info.room_id), "") if venue else ""
        result.append(SessionRow(info, venue.name if venue else "", room))
    return result


@router.get("/staff")
def home(desk: DeskDep) -> Response:
    start_of_today = datetime.combine(today(), time(), HOME_ZONE)
    week_end = start_of_today + timedelta(days=7)
    filters = SessionFilters(starts_from=start_of_today - timedelta(days=UNCLOSED_DAYS), limit=LIMIT)
    found = rows(desk, sessions.list_sessions(desk.db, desk.settings, desk.principal, filters))
    now = datetime.now(HOME_ZONE)
    to_close = [r for r in found if r.ended and r.session.status == SessionStatus.PUBLISHED]
    upcoming = [r for r in found if r.session.ends_at > now]
    return desk.render(
        "scheduler_staff_home.html",
        section="home",
        to_close=to_close,
        week=[r for r in upcoming if r.session.starts_at < week_end],
        later=[r for r in upcoming if r.session.starts_at >= week_end],
        everyone=desk.principal.is_coordinator,
    )
