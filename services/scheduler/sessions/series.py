"""A series: one request plans a weekly or monthly recurrence (an RFC 5545 RRULE).

Each date is checked like a single session (sessions.planning). A date whose
room or ambassador is taken, or when the venue is closed, is reported with
the reason and left out; the others are created, each with its own
``scheduling.session.published``. Nothing fails silently: the answer lists
every date, planned or not.

The rule runs on the venue's wall clock, not on UTC: a session at 19:00 in
Amsterdam stays at 19:00 there after the clocks change (18:00 UTC in winter,
17:00 UTC in summer), and keeps its local length. A date on which the start or
the end does not exist on that clock (02:30 on the night the clocks jump from
02:00 to 03:00) is left out with the reason ``NotOnTheClock``: moved an hour,
02:30–03:00 became 03:30 to 03:00, a session that ended before it began.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from sqlmodel import Session

from scheduler.errors import NothingPlanned, NotWhenPlannable, OutsideOpeningHours, SeriesTooLong, SessionClash
from scheduler.sessions import planning, service, timing
from scheduler.sessions.schemas import MAX_OCCURRENCES, SeriesCreate, SeriesCreated, SkippedDate
from scheduler.settings import SchedulerSettings
from scheduler.venues.hours import local_range
from shared.auth import Principal

__all__ = ["occurrences", "create_series", "check_span", "off_the_clock"]


def occurrences(rule: str, starts_at: datetime, ends_at: datetime, timezone: str) -> list[tuple[datetime, datetime]]:
    """The (start, end) of each date ``rule`` gives from ``starts_at`` on, in UTC, the wall-clock time kept.

    SeriesTooLong when it gives more than MAX_OCCURRENCES."""
    zone = ZoneInfo(timezone)
    local_start = starts_at.astimezone(zone).replace(tzinfo=None)
    length = ends_at.astimezone(zone).replace(tzinfo=None) - local_start
    found: list[tuple[datetime, datetime]] = []
    for local in _dates(_local_until(rule, zone), local_start):
        if len(found) == MAX_OCCURRENCES:
            raise SeriesTooLong(
                f"The rule gives more than {MAX_OCCURRENCES} sessions; one request plans at most "
                f"{MAX_OCCURRENCES}. Lower COUNT or bring UNTIL forward, and plan the rest later."
            )
        found.append((_utc(local, zone), _utc(local + length, zone)))
    return found


def create_series(db: Session, data: SeriesCreate, settings: SchedulerSettings, user: Principal) -> SeriesCreated:
    ambassador_ids = service.prepare(db, data, user)
    venue, room = planning.place(db, data.venue_id, data.room_id, hold_venue=True)
    series_id = uuid.uuid4().hex
    created, skipped = [], []
    dates = occurrences(data.rrule, data.starts_at, data.ends_at, venue.timezone)
    check_span(data, dates, venue.timezone, settings)
    for starts_at, ends_at in dates:
        if (problem := off_the_clock(starts_at, ends_at, data, venue.timezone)) is not None:
            skipped.append(SkippedDate(starts_at=starts_at, ends_at=ends_at, error="NotOnTheClock", detail=problem))
            continue
        plan = planning.Plan(venue, room, starts_at, ends_at, data.capacity, ambassador_ids)
        try:
            planning.check_plan(db, plan, settings)
        except (SessionClash, OutsideOpeningHours) as error:
            skipped.append(
                SkippedDate(starts_at=starts_at, ends_at=ends_at, error=type(error).__name__, detail=error.detail)
            )
            continue
        info = service.insert(db, data, plan, series_id=series_id)
        created.append(service.planned_view(db, info, venue.timezone, settings))
    if not created:
        reasons = "; ".join(f"{local_range(s.starts_at, s.ends_at, venue.timezone)}: {s.detail}" for s in skipped)
        raise NothingPlanned(f"None of the {len(skipped)} dates could be planned, so nothing was created. {reasons}")
    return SeriesCreated(series_id=series_id, created=created, skipped=skipped)


def check_span(
    data: SeriesCreate, dates: list[tuple[datetime, datetime]], timezone: str, settings: SchedulerSettings
) -> None:
    """NotWhenPlannable when the first date is not plannable (it names starts_at) or the rule runs past
    the planning horizon (it names rrule): the request is refused whole, as a typing mistake would be."""
    now = settings.clock.now()
    timing.ensure_plannable(data.starts_at.astimezone(UTC), data.ends_at.astimezone(UTC), timezone, now)
    last = max((start for start, _ in dates), default=data.starts_at)
    if last > now + timing.HORIZON:
        raise NotWhenPlannable(
            f"rrule gives a date more than two years ahead ({timing.on_the_venue_clock(last, timezone)}); "
            "end the series sooner with COUNT or UNTIL."
        )


def off_the_clock(starts_at: datetime, ends_at: datetime, data: SeriesCreate, timezone: str) -> str | None:
    """Why this date cannot keep the series' wall-clock times (the clocks skip them that night), or None."""
    zone = ZoneInfo(timezone)
    # to the second: dateutil's rule drops a start's microseconds (a start at 14:00:00.5 was "skipped")
    wanted = [moment.astimezone(zone).time().replace(microsecond=0) for moment in (data.starts_at, data.ends_at)]
    got = [moment.astimezone(zone).time().replace(microsecond=0) for moment in (starts_at, ends_at)]
    if got == wanted and ends_at > starts_at:
        return None
    day = starts_at.astimezone(zone).date().isoformat()
    return (
        f"On {day} the clocks in {timezone} skip {wanted[0]:%H:%M}–{wanted[1]:%H:%M} (summer time begins), "
        "so the session cannot keep its time that day and was left out: plan that date by hand at another time."
    )


def _dates(rule: str, local_start: datetime) -> Iterator[datetime]:
    return iter(rrulestr(rule, dtstart=local_start))


def _local_until(rule: str, zone: ZoneInfo) -> str:
    """The rule with UNTIL on the venue's clock, as dateutil wants it with a local start.

    ``UNTIL=20270630`` (a date) includes that whole day; ``UNTIL=...Z`` (UTC) is converted."""
    parts = []
    for part in rule.split(";"):
        key, _, value = part.partition("=")
        if key.upper() == "UNTIL":
            value = _until_value(value, zone)
        parts.append(f"{key}={value}")
    return ";".join(parts)


def _until_value(value: str, zone: ZoneInfo) -> str:
    if len(value) == 8:
        return f"{value}T235959"
    if value.upper().endswith("Z"):
        moment = datetime.strptime(value[:-1], "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
        return moment.astimezone(zone).strftime("%Y%m%dT%H%M%S")
    return value


def _utc(local: datetime, zone: ZoneInfo) -> datetime:
    """A wall-clock time in ``zone`` as UTC (a time the spring change skips lands an hour later, PEP 495)."""
    return local.replace(tzinfo=zone).astimezone(UTC)
