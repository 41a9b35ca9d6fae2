"""Which messages a booking gets, on which channels, and when its reminders are due.

Channels follow the attendee's safe-to-contact choice: ``sms`` for texts;
``email`` for e-mails; ``invite`` for a calendar invite, which travels by
e-mail too, so a booking with only ``invite`` gets only the e-mails that
carry one. No channel at all means nothing is sent. E-mail is planned only
while an SMTP server is configured.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from notifier.deliveries import service as deliveries
from notifier.deliveries.models import DeliveryKind
from notifier.recipients.models import Recipient, SessionCopy
from notifier.reminders.schedule import QuietHours, reminder_due
from notifier.settings import NotifierSettings
from shared.events import Channel, utcnow

__all__ = [
    "Planner",
    "INVITE_KINDS",
    "CANCEL_KINDS",
    "channels_for",
    "plan_message",
    "plan_reminders",
    "withdraw_reminders",
]

#: the e-mails that carry a calendar invite (a request, or its cancellation).
INVITE_KINDS = frozenset(
    {
        DeliveryKind.CONFIRMATION,
        DeliveryKind.PROMOTED,
        DeliveryKind.RESCHEDULED,
        DeliveryKind.CANCELLED,
        DeliveryKind.BOOKING_CANCELLED,
    }
)
#: the e-mails whose invite is a METHOD:CANCEL: the session was called off, or this one booking.
CANCEL_KINDS = frozenset({DeliveryKind.CANCELLED, DeliveryKind.BOOKING_CANCELLED})


@dataclass(frozen=True)
class Planner:
    """The settings that decide what is planned, read once at start-up."""

    offsets: tuple[timedelta, ...]
    quiet: QuietHours | None
    email: bool

    @classmethod
    def from_settings(cls, settings: NotifierSettings) -> Planner:
        return cls(tuple(settings.reminder_offsets), settings.quiet_hours, settings.email_enabled)


def channels_for(planner: Planner, recipient: Recipient, kind: str) -> list[Channel]:
    """The channels ``kind`` goes out on for this booking (none without a sealed contact)."""
    if recipient.sealed_contact is None:
        return []
    chosen = set(recipient.channels)
    channels = [Channel.SMS] if Channel.SMS in chosen else []
    if planner.email and (Channel.EMAIL in chosen or (Channel.INVITE in chosen and kind in INVITE_KINDS)):
        channels.append(Channel.EMAIL)
    return channels


def plan_message(db: Session, planner: Planner, recipient: Recipient, kind: str, *, tag: str | None = None) -> None:
    for channel in channels_for(planner, recipient, kind):
        deliveries.plan(
            db,
            booking_code=recipient.booking_code,
            session_id=recipient.session_id,
            channel=channel,
            kind=kind,
            tag=tag,
        )


def plan_reminders(
    db: Session, planner: Planner, recipient: Recipient, session: SessionCopy, now: datetime | None = None
) -> None:
    """One reminder per offset and channel, for the session's current time (its revision in the key)."""
    now = now or utcnow()
    for offset in planner.offsets:
        due = reminder_due(session.starts_at, offset, session.timezone, planner.quiet, now)
        if due is None:
            continue
        tag = f"{_label(offset)}@r{session.revision}"
        for channel in channels_for(planner, recipient, DeliveryKind.REMINDER):
            deliveries.plan(
                db,
                booking_code=recipient.booking_code,
                session_id=recipient.session_id,
                channel=channel,
                kind=DeliveryKind.REMINDER,
                tag=tag,
                due_at=due,
            )


def withdraw_reminders(db: Session, session_id: str) -> int:
    return deliveries.withdraw(db, session_id=session_id, kinds=(DeliveryKind.REMINDER,))


def _label(offset: timedelta) -> str:
    minutes = int(offset.total_seconds() // 60)
    return f"{minutes // 60}h" if minutes % 60 == 0 else f"{minutes}m"
