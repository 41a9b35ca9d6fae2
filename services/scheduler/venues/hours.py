"""Whether a session fits in its venue's opening hours, judged on the venue's own clock.

Times are stored in UTC; the hours are local. Converting each session to the
venue's zone (zoneinfo) makes the DST change days come out right: 10:00 is
09:00 UTC in winter and 08:00 UTC in summer.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from scheduler.errors import OutsideOpeningHours
from scheduler.venues import repository
from scheduler.venues.models import Venue

__all__ = ["ensure_open", "local_range"]


def local_range(starts_at: datetime, ends_at: datetime, timezone: str) -> str:
    """'14:00–16:00 on Thu 3 Dec 2026' in ``timezone``, as staff read it."""
    zone = ZoneInfo(timezone)
    start, end = starts_at.astimezone(zone), ends_at.astimezone(zone)
    return f"{start:%H:%M}–{end:%H:%M} on {start:%a} {start.day} {start:%b %Y}"


def ensure_open(db: Session, venue: Venue, starts_at: datetime, ends_at: datetime) -> None:
    """OutsideOpeningHours, saying the day's hours, unless the venue is open for the whole session."""
    hours = {h.weekday: h for h in repository.hours_of(db, venue.id)}
    if not hours:
        return
    zone = ZoneInfo(venue.timezone)
    start, end = starts_at.astimezone(zone), ends_at.astimezone(zone)
    day = f"{start:%A} {start.day} {start:%B %Y}"
    if repository.is_closed_on(db, venue.id, start.date()):
        raise OutsideOpeningHours(f"{venue.name} is closed on {day}; pick another day.")
    today = hours.get(start.weekday())
    if today is None:
        open_days = ", ".join(_DAY_NAMES[weekday] for weekday in sorted(hours))
        raise OutsideOpeningHours(f"{venue.name} is closed on {start:%A}s; it is open on {open_days}.")
    if end.date() != start.date() or start.time() < today.opens or end.time() > today.closes:
        raise OutsideOpeningHours(
            f"{venue.name} is open {today.opens:%H:%M}–{today.closes:%H:%M} on {day} ({venue.timezone}); "
            f"the session runs {start:%H:%M}–{end:%H:%M} there."
        )


_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
