"""When a reminder goes out: offsets before the session, moved out of quiet hours.

A reminder is due ``offset`` before the session (an absolute duration: on the
day the clocks change, 24 h before 10:00 is 09:00 the day before). If that
moment falls in the quiet hours of the venue's zone, it moves back to the
moment they start (the evening before), never forward: it would otherwise
land closer to, or after, the start. A reminder whose moment has already
passed when it is planned (a late booking) is not planned at all.

Quiet hours are wall-clock times in the venue's zone, so across a DST change
21:00 stays 21:00 on the clock while its UTC moment shifts by an hour.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

__all__ = ["QuietHours", "parse_offsets", "parse_quiet_hours", "reminder_due", "quiet_end"]

_OFFSET = re.compile(r"^(\d+)\s*([hm])$")
_QUIET = re.compile(r"^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$")


@dataclass(frozen=True)
class QuietHours:
    """From ``start`` to ``end`` on the wall clock; ``end`` before ``start`` spans midnight."""

    start: time
    end: time

    def contains(self, moment: datetime, zone: str) -> bool:
        clock = moment.astimezone(ZoneInfo(zone)).time()
        if self.start <= self.end:
            return self.start <= clock < self.end
        return clock >= self.start or clock < self.end

    def began(self, moment: datetime, zone: str) -> datetime:
        """The start of the quiet period that contains ``moment`` (which must be in one)."""
        local = moment.astimezone(ZoneInfo(zone))
        day = local.date()
        if self.start > self.end and local.time() < self.end:
            day -= timedelta(days=1)
        return datetime.combine(day, self.start, tzinfo=ZoneInfo(zone))

    def ends(self, moment: datetime, zone: str) -> datetime:
        """The end of the quiet period that contains ``moment`` (which must be in one)."""
        local = moment.astimezone(ZoneInfo(zone))
        day = local.date()
        if self.start > self.end and local.time() >= self.start:
            day += timedelta(days=1)
        return datetime.combine(day, self.end, tzinfo=ZoneInfo(zone))


def parse_offsets(text: str) -> list[timedelta]:
    """``"24h,2h"`` → [24 h, 2 h]; ``"90m"`` works too; empty means no reminders."""
    offsets: list[timedelta] = []
    for part in (p.strip().lower() for p in text.split(",")):
        if not part:
            continue
        match = _OFFSET.match(part)
        if not match or int(match.group(1)) == 0:
            raise ValueError(
                f"{part!r} is not an offset; write hours or minutes before the session, e.g. 24h,2h or 90m"
            )
        amount = int(match.group(1))
        offsets.append(timedelta(hours=amount) if match.group(2) == "h" else timedelta(minutes=amount))
    if len(set(offsets)) != len(offsets):
        raise ValueError("an offset is listed twice; list each once, e.g. 24h,2h")
    return sorted(offsets, reverse=True)


def parse_quiet_hours(text: str) -> QuietHours | None:
    """``"21:00-08:00"`` → QuietHours; empty → None (no quiet hours)."""
    text = text.strip()
    if not text:
        return None
    match = _QUIET.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a time range; write HH:MM-HH:MM, e.g. 21:00-08:00, or leave it empty")
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59 or (h1, m1) == (h2, m2):
        raise ValueError(f"{text!r} is not a time range of the day; write e.g. 21:00-08:00")
    return QuietHours(time(h1, m1), time(h2, m2))


def reminder_due(
    starts_at: datetime, offset: timedelta, zone: str, quiet: QuietHours | None, now: datetime
) -> datetime | None:
    """When the reminder ``offset`` before ``starts_at`` goes out, or None if it is too late for it."""
    due = starts_at - offset
    if due <= now:
        return None  # booked after this reminder's time: no stale reminder
    if quiet is not None and quiet.contains(due, zone):
        due = quiet.began(due, zone)
        if due <= now:
            return None  # its evening-before slot has passed too; sending now would break the quiet hours
    return due


def quiet_end(moment: datetime, zone: str, quiet: QuietHours | None) -> datetime | None:
    """If ``moment`` is in the quiet hours, when they end (as an aware datetime); else None."""
    if quiet is None or not quiet.contains(moment, zone):
        return None
    return quiet.ends(moment, zone)
