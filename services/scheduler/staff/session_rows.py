"""A session as the staff lists show it (the overview, the week and month views): with its venue and room."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from scheduler.sessions import seats
from scheduler.sessions.schemas import SessionPublic
from scheduler.staff.common import HOME_ZONE, Desk
from scheduler.venues import service as venues

__all__ = ["SessionRow", "rows"]


@dataclass(frozen=True)
class SessionRow:
    session: SessionPublic
    venue: str
    room: str
    #: the venue's public name (the cards show it: a venue's own name may say what it is, e.g. a centre's)
    place: str = ""

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
        result.append(SessionRow(info, venue.name if venue else "", room, venue.public_name if venue else ""))
    return result
