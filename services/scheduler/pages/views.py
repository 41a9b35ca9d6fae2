"""What the attendee's pages show of a session: the public title, time, place and languages.

The title is the one for the page's language (shared.titles): the session's
title in that language, else its first language's, never English by default.

Never the internal title, the topics or the provider: a page can be seen over
a shoulder or in a shared phone's history. Nor the audience, for the reasons
scheduler.sessions.public gives (an "LGBTQI+" tag next to a time and a place
can out whoever goes; the ambassador tells it where it is safe). The street
address only from the venue's release time on (scheduler.venues.disclosure).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from scheduler.sessions import repository as sessions
from scheduler.sessions.models import SessionStatus
from scheduler.sessions.seats import seats_left
from scheduler.venues import repository as venues
from scheduler.venues.disclosure import place
from shared.titles import title_for

__all__ = ["SessionFacts", "session_facts"]


@dataclass(frozen=True)
class SessionFacts:
    id: str
    title: str
    place: str
    city: str
    #: the street address, or None while the venue hides it (then ``neighbourhood`` and ``address_from``)
    address: str | None
    neighbourhood: str | None
    address_from: datetime | None
    starts_at: datetime
    ends_at: datetime
    timezone: str
    languages: list[str]
    status: str
    places_left: int
    booking_cutoff_minutes: int = 0

    @property
    def open(self) -> bool:
        """Registration closes at the session's cut-off (its start by default, scheduler.sessions.timing)."""
        closes = self.starts_at - timedelta(minutes=self.booking_cutoff_minutes)
        return self.status == SessionStatus.PUBLISHED and closes > datetime.now(UTC)


def session_facts(db: Session, session_id: str, locale: str | None = None) -> SessionFacts | None:
    """What a page in ``locale`` shows of the session: its title in that language (shared.titles)."""
    info = sessions.get(db, session_id)
    if info is None:
        return None
    venue = venues.get_venue(db, info.venue_id)
    assert venue is not None
    shown = place(venue, info.starts_at)
    return SessionFacts(
        id=info.id,
        title=title_for(locale, info.public_title, info.public_titles, info.languages),
        place=shown.venue_public_name,
        city=shown.city,
        address=shown.address,
        neighbourhood=shown.neighbourhood,
        address_from=shown.address_released_at,
        starts_at=info.starts_at,
        ends_at=info.ends_at,
        timezone=venue.timezone,
        languages=list(info.languages),
        status=info.status,
        places_left=seats_left(db, info),
        booking_cutoff_minutes=info.booking_cutoff_minutes,
    )
