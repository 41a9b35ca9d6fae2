"""When reminders fall: offsets, quiet hours in the venue's zone, late bookings, DST change days."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from notifier.reminders.schedule import QuietHours, parse_offsets, parse_quiet_hours, quiet_end, reminder_due

ZONE = "Europe/Amsterdam"
QUIET = QuietHours(time(21, 0), time(8, 0))
LONG_AGO = datetime(2026, 1, 1, tzinfo=UTC)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_offsets_and_quiet_hours_parse_and_refuse_nonsense() -> None:
    assert parse_offsets("24h, 2h") == [timedelta(hours=24), timedelta(hours=2)]
    assert parse_offsets("90m,48h") == [timedelta(hours=48), timedelta(minutes=90)]
    assert parse_offsets("") == []
    assert parse_quiet_hours("21:00-08:00") == QUIET
    assert parse_quiet_hours(" ") is None
    for bad in ("2 days", "0h", "24h,24h"):
        with pytest.raises(ValueError, match="24h"):
            parse_offsets(bad)
    for bad in ("21-8", "25:00-08:00", "08:00-08:00"):
        with pytest.raises(ValueError, match="21:00-08:00"):
            parse_quiet_hours(bad)


def test_a_reminder_outside_quiet_hours_is_due_exactly_its_offset_before() -> None:
    starts = utc(2026, 12, 3, 13, 0)  # 14:00 in Amsterdam
    assert reminder_due(starts, timedelta(hours=24), ZONE, QUIET, LONG_AGO) == utc(2026, 12, 2, 13, 0)
    assert reminder_due(starts, timedelta(hours=2), ZONE, QUIET, LONG_AGO) == utc(2026, 12, 3, 11, 0)


def test_a_reminder_in_quiet_hours_goes_the_evening_before_never_later() -> None:
    starts = utc(2026, 12, 3, 8, 30)  # 09:30 CET; 2 h before is 07:30, inside the quiet hours
    due = reminder_due(starts, timedelta(hours=2), ZONE, QUIET, LONG_AGO)
    assert due == utc(2026, 12, 2, 20, 0)  # 21:00 CET the evening before
    assert due < starts


def test_quiet_hours_that_do_not_span_midnight() -> None:
    lunch = QuietHours(time(12, 0), time(13, 0))
    starts = utc(2026, 12, 3, 13, 30)  # 14:30 CET; 2 h before is 12:30 local
    assert reminder_due(starts, timedelta(hours=2), ZONE, lunch, LONG_AGO) == utc(2026, 12, 3, 11, 0)


def test_without_quiet_hours_the_night_is_no_different() -> None:
    starts = utc(2026, 12, 3, 8, 30)
    assert reminder_due(starts, timedelta(hours=2), ZONE, None, LONG_AGO) == utc(2026, 12, 3, 6, 30)


def test_a_booking_made_after_a_reminders_time_gets_no_stale_reminder() -> None:
    starts = utc(2026, 12, 3, 13, 0)
    now = utc(2026, 12, 3, 9, 0)  # booked 5 hours before the start
    assert reminder_due(starts, timedelta(hours=24), ZONE, QUIET, now) is None
    assert reminder_due(starts, timedelta(hours=2), ZONE, QUIET, now) == utc(2026, 12, 3, 11, 0)


def test_a_reminder_moved_into_a_past_evening_is_dropped_not_sent_at_night() -> None:
    starts = utc(2026, 12, 3, 8, 30)  # 09:30; its 2 h reminder belongs at 21:00 the evening before
    now = utc(2026, 12, 2, 22, 0)  # 23:00 local: booked during the quiet hours
    assert reminder_due(starts, timedelta(hours=2), ZONE, QUIET, now) is None


def test_spring_forward_day_quiet_hours_follow_the_wall_clock() -> None:
    # 29 March 2026: clocks go from 02:00 CET to 03:00 CEST
    starts = utc(2026, 3, 29, 7, 0)  # 09:00 CEST
    two_hours = reminder_due(starts, timedelta(hours=2), ZONE, QUIET, LONG_AGO)
    assert two_hours == utc(2026, 3, 28, 20, 0)  # 21:00 CET on the 28th (UTC+1)
    day_before = reminder_due(starts, timedelta(hours=24), ZONE, QUIET, LONG_AGO)
    assert day_before == utc(2026, 3, 28, 7, 0)  # 24 hours earlier: 08:00 CET, just after the quiet hours


def test_fall_back_day_quiet_hours_follow_the_wall_clock() -> None:
    # 25 October 2026: clocks go from 03:00 CEST back to 02:00 CET
    starts = utc(2026, 10, 25, 8, 0)  # 09:00 CET
    two_hours = reminder_due(starts, timedelta(hours=2), ZONE, QUIET, LONG_AGO)
    assert two_hours == utc(2026, 10, 24, 19, 0)  # 21:00 CEST on the 24th (UTC+2)
    assert quiet_end(utc(2026, 10, 24, 22, 0), ZONE, QUIET) == datetime(2026, 10, 25, 7, 0, tzinfo=UTC)


def test_quiet_end_is_none_outside_the_quiet_hours() -> None:
    assert quiet_end(utc(2026, 12, 3, 12, 0), ZONE, QUIET) is None
    assert quiet_end(utc(2026, 12, 3, 12, 0), ZONE, None) is None
