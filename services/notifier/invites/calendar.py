"""Calendar invites (iCalendar, RFC 5545/5546) made with the icalendar library.

One event per booking, its UID stable for the booking's life: a reschedule
sends the same UID with a higher SEQUENCE (the session's count of changes)
and a new DTSTAMP, so calendars update the entry instead of adding one; a
cancellation is METHOD:CANCEL with STATUS:CANCELLED. Times carry the venue's
TZID with its VTIMEZONE, so the event stays at the right hour across a DST
change. An e-mailed invite (METHOD:REQUEST or CANCEL) names the service's
no-reply address as ORGANIZER and the attendee as the only ATTENDEE; a
downloaded one (METHOD:PUBLISH) names no one.

Only public facts go in: the discreet public title as SUMMARY, the venue's
address as LOCATION, and a reminder alarm in the attendee's language; the
whole text is checked against the sensitive-word list before it leaves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar

from shared.discretion import DiscretionError, sensitive_words_in

__all__ = ["InviteFacts", "build_invite", "invite_uid", "PRODID"]

PRODID = "-//Brug//notifier//EN"
#: the alarm goes off this long before the session.
ALARM_BEFORE = timedelta(hours=2)


@dataclass(frozen=True)
class InviteFacts:
    uid: str
    sequence: int
    title: str
    starts_at: datetime
    ends_at: datetime
    timezone: str
    location: str
    alarm_text: str


def invite_uid(booking_code: str, session_id: str) -> str:
    """Stable for a booking, and free of personal data."""
    return f"{booking_code.lower()}.{session_id}@brug"


def build_invite(
    facts: InviteFacts,
    method: str,
    *,
    stamp: datetime,
    organizer: str | None = None,
    attendee: str | None = None,
) -> bytes:
    """The invite as bytes; ``method`` is REQUEST, CANCEL or PUBLISH.

    Raises :class:`DiscretionError` (naming no words) when any text in it is sensitive.
    """
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    calendar.add_component(_timezone(facts))
    calendar.add_component(_event(facts, method, stamp, organizer, attendee))
    text = calendar.to_ical()
    if sensitive_words_in(text.decode()):
        raise DiscretionError(f"calendar invite ({method}) names a sensitive word; not sent")
    return text


def _event(
    facts: InviteFacts, method: str, stamp: datetime, organizer: str | None, attendee: str | None
) -> icalendar.Event:
    zone = ZoneInfo(facts.timezone)
    event = icalendar.Event()
    event.add("uid", facts.uid)
    event.add("sequence", facts.sequence)
    event.add("dtstamp", stamp)
    event.add("dtstart", facts.starts_at.astimezone(zone))
    event.add("dtend", facts.ends_at.astimezone(zone))
    event.add("summary", facts.title)
    event.add("location", facts.location)
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    event.add("transp", "OPAQUE")
    if organizer:
        event.add("organizer", icalendar.vCalAddress(f"mailto:{organizer}"))
    if attendee:
        address = icalendar.vCalAddress(f"mailto:{attendee}")
        # no RSVP: replies would go to a no-reply address
        address.params.update({"ROLE": "REQ-PARTICIPANT", "PARTSTAT": "ACCEPTED", "RSVP": "FALSE"})
        event.add("attendee", address)
    if method != "CANCEL":
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("trigger", -ALARM_BEFORE)
        alarm.add("description", facts.alarm_text)
        event.add_component(alarm)
    return event


def _timezone(facts: InviteFacts) -> icalendar.Timezone:
    """The venue's zone, with its rules from a year before to a year after the session."""
    year = facts.starts_at.year
    return icalendar.Timezone.from_tzid(facts.timezone, first_date=date(year - 1, 1, 1), last_date=date(year + 2, 1, 1))
