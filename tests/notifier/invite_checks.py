"""Reading an invite back with two independent parsers: icalendar and ics."""

from __future__ import annotations

from datetime import datetime

import icalendar
import ics

from shared.discretion import sensitive_words_in

__all__ = ["read_invite"]


def read_invite(data: bytes) -> tuple[icalendar.Calendar, icalendar.Event, ics.Event]:
    """Both parsers' views of the one event in ``data``, after the checks every invite must pass."""
    text = data.decode()
    assert sensitive_words_in(text) == []
    calendar = icalendar.Calendar.from_ical(text)
    [event] = calendar.walk("VEVENT")
    [timezone] = calendar.walk("VTIMEZONE")
    assert timezone["TZID"] == "Europe/Amsterdam"
    assert {c.name for c in timezone.subcomponents} == {"STANDARD", "DAYLIGHT"}
    assert "DTSTART;TZID=Europe/Amsterdam:" in text and "DTEND;TZID=Europe/Amsterdam:" in text
    [other] = ics.Calendar(text).events
    assert other.uid == str(event["UID"])
    assert other.begin.datetime == event.decoded("DTSTART")
    assert isinstance(event.decoded("DTSTART"), datetime)
    return calendar, event, other
