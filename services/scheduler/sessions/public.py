"""The public listing: sessions marked public, as anyone may see them, with no account.

What it shows, and why no more: a listing is read on shared phones and
screens, so each entry must tell a family member looking over a shoulder
nothing about what the session is for.

- the discreet public title, the venue's public name and city, the time and
  the languages, and the link to book: what an attendee needs to come;
- the street address only from the venue's release time on
  (venues.disclosure); before that, the neighbourhood;
- never the internal title, the topics or the provider: each can name the
  subject (a sexual-violence centre as provider says it outright);
- never the audience either. ../shared/CONTEXT.md names LGBTQI+ people among
  those whom stigma keeps away, and nowhere says the audience tag is safe to
  show; "LGBTQI+ safe space" next to a time and a place can out whoever goes,
  and leaving out only that one tag would make its absence the signal. So
  the audience is told through the ambassador and the shared link, not
  here, and it is not a public search filter either (a filter reveals what
  it matches). When in doubt, say less.
- never whether an interpreter is present, nor the integration phase
  (reception, integration, settled): staff facts for planning, and the
  phase would say of whoever goes where they stand in the asylum process.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel
from sqlmodel import Session

from scheduler.sessions import repository
from scheduler.sessions.filters import PublicFilters
from scheduler.sessions.models import InfoSession
from scheduler.sessions.service import booking_url
from scheduler.settings import SchedulerSettings
from scheduler.venues import repository as venues
from scheduler.venues.disclosure import Place, place
from shared.events import utcnow

__all__ = ["PublicSession", "public_listing", "listed_cities", "listed_languages"]


class PublicSession(BaseModel):
    id: str
    public_title: str
    #: the title per language, by locale (shared.titles picks a reader's).
    public_titles: dict[str, str] = {}
    starts_at: datetime
    ends_at: datetime
    timezone: str
    languages: list[str]
    place: Place
    booking_url: str


def public_listing(
    db: Session, filters: PublicFilters, settings: SchedulerSettings, offset: int = 0
) -> list[PublicSession]:
    """Published, public sessions that have not ended, by start time (from now on unless ``from`` says);
    the first ``offset`` skipped."""
    now = utcnow()
    found = repository.search(db, filters, published_only=True, public_only=True, ends_after=now, offset=offset)
    return [_entry(db, info, settings, now) for info in found]


def listed_cities(db: Session) -> list[str]:
    """The cities the listing has sessions in, each once whatever its case, in alphabetical order: a
    filter offers only cities where something is on."""
    cities: dict[str, str] = {}
    for city in repository.public_cities(db, utcnow()):
        cities.setdefault(city.strip().casefold(), city.strip())
    return sorted(cities.values(), key=str.casefold)


def listed_languages(db: Session) -> list[str]:
    """The languages the listing's sessions are in (BCP 47 codes), each once."""
    return sorted({code for languages in repository.public_languages(db, utcnow()) for code in languages})


def _entry(db: Session, info: InfoSession, settings: SchedulerSettings, now: datetime) -> PublicSession:
    venue = venues.get_venue(db, info.venue_id)
    assert venue is not None
    return PublicSession(
        id=info.id,
        public_title=info.public_title,
        public_titles=dict(info.public_titles),
        starts_at=info.starts_at,
        ends_at=info.ends_at,
        timezone=venue.timezone,
        languages=info.languages,
        place=place(venue, info.starts_at, now),
        booking_url=booking_url(settings, info.id),
    )
