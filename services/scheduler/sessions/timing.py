"""When a session may be planned, booked and completed, judged against the service's clock.

A new user on 7 December created, booked (the confirmation SMS went out four
days after the session) and moved a session dated 3 December, and completed
one of 14 December, minting feedback cards for a meeting not yet held. So:

- a start is never in the past, nor beyond the planning horizon, and a
  session lasts at most MAX_LENGTH (``NotWhenPlannable``, 422, names the field);
- registration closes when the session starts, or as many minutes before as
  its ambassadors set (``booking_cutoff_minutes``; ``BookingsClosed``, 409);
- a session is completed only once it has started (``SessionNotStarted``, 409).

"Now" is ``settings.clock.now()`` (shared.clock), so tests move time instead
of sleeping; times in messages are on the venue's clock, named with its zone.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from scheduler.errors import BookingsClosed, NotWhenPlannable, SessionNotStarted

__all__ = [
    "MAX_LENGTH",
    "HORIZON",
    "utc",
    "on_the_venue_clock",
    "ensure_plannable",
    "bookings_close",
    "ensure_bookable",
    "ensure_started",
]

#: the longest session: a day's meeting with breaks; longer is a typing mistake (or an attack).
MAX_LENGTH = timedelta(hours=12)
#: how far ahead a session may be planned: two years (a series too; its dates beyond are refused).
HORIZON = timedelta(days=2 * 366)


def utc(moment: datetime) -> datetime:
    """``moment`` as an aware UTC time (a naive one is taken to be in UTC)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def on_the_venue_clock(moment: datetime, timezone: str) -> str:
    """'Thu 3 Dec 2026 14:00 (Europe/Amsterdam)', as staff read it."""
    local = utc(moment).astimezone(ZoneInfo(timezone))
    return f"{local:%a} {local.day} {local:%b %Y %H:%M} ({timezone})"


def ensure_plannable(starts_at: datetime, ends_at: datetime, timezone: str, now: datetime) -> None:
    """NotWhenPlannable naming the field, unless the session starts ahead, within the horizon, and is not too long."""
    if starts_at <= now:
        raise NotWhenPlannable(
            f"starts_at ({on_the_venue_clock(starts_at, timezone)}) is in the past: it is now "
            f"{on_the_venue_clock(now, timezone)}. Give a start that is still to come."
        )
    if starts_at > now + HORIZON:
        raise NotWhenPlannable(
            f"starts_at ({on_the_venue_clock(starts_at, timezone)}) is more than two years ahead; "
            "plan sessions at most two years in advance."
        )
    if ends_at - starts_at > MAX_LENGTH:
        raise NotWhenPlannable(
            f"ends_at ({on_the_venue_clock(ends_at, timezone)}) is more than {_hours(MAX_LENGTH)} hours after "
            f"starts_at; a session lasts at most {_hours(MAX_LENGTH)} hours. Plan a longer event as several sessions."
        )


def bookings_close(starts_at: datetime, cutoff_minutes: int) -> datetime:
    """When registration closes: ``cutoff_minutes`` before the start (0: at the start)."""
    return utc(starts_at) - timedelta(minutes=cutoff_minutes)


def ensure_bookable(starts_at: datetime, cutoff_minutes: int, timezone: str, now: datetime) -> None:
    """BookingsClosed from the cut-off on, saying when that was."""
    closes = bookings_close(starts_at, cutoff_minutes)
    if now < closes:
        return
    if cutoff_minutes == 0:
        raise BookingsClosed(
            f"Registration for this session closed when it started, {on_the_venue_clock(starts_at, timezone)}."
        )
    raise BookingsClosed(
        f"Registration for this session closed {on_the_venue_clock(closes, timezone)}, {cutoff_minutes} minutes "
        f"before it starts ({on_the_venue_clock(starts_at, timezone)}); ask its ambassador whether there is room."
    )


def ensure_started(starts_at: datetime, timezone: str, now: datetime) -> None:
    """SessionNotStarted, naming the start, before the session has begun."""
    if now < utc(starts_at):
        raise SessionNotStarted(
            f"This session starts {on_the_venue_clock(starts_at, timezone)}; it can be completed once it has "
            "started, when attendance is known."
        )


def _hours(length: timedelta) -> int:
    return int(length.total_seconds() // 3600)
