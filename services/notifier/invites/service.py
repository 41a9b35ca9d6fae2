"""An invite for one booking, from what the notifier keeps about it."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from notifier.deliveries.messages import MessageFacts, render
from notifier.deliveries.models import DeliveryKind
from notifier.errors import InviteNotFound
from notifier.invites.calendar import InviteFacts, build_invite, invite_uid
from notifier.recipients.models import Recipient, RecipientStatus, SessionCopy, SessionStatus
from shared.errors import Unavailable
from shared.events import utcnow
from shared.invite_tokens import token_matches

__all__ = ["invite_facts", "invite_for_download"]


def invite_facts(recipient: Recipient, session: SessionCopy, *, later: int = 0) -> InviteFacts:
    """The invite's facts; ``later`` raises the SEQUENCE beyond the session's (one booking's own change)."""
    title = session.title_in(recipient.locale)
    facts = MessageFacts(title, session.starts_at, session.timezone, session.venue_public_name, recipient.booking_code)
    return InviteFacts(
        uid=invite_uid(recipient.booking_code, session.session_id),
        sequence=session.sequence + later,
        title=title,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        timezone=session.timezone,
        location=session.address,
        alarm_text=render(DeliveryKind.REMINDER, recipient.locale, facts),
    )


def invite_for_download(
    db: Session, secret: str | None, booking_code: str, token: str, now: datetime | None = None
) -> bytes:
    """METHOD:PUBLISH, no attendee, for a confirmed booking whose link carries the right token.

    A wrong token and an unknown booking get the same answer, so the link
    cannot be used to find out which codes exist.
    """
    if not secret:
        raise Unavailable("Invite downloads are not set up on this notifier (BRUG_INVITE_TOKEN_SECRET is empty).")
    code = booking_code.strip().upper()
    recipient = db.get(Recipient, code) if token_matches(secret, code, token) else None
    session = db.get(SessionCopy, recipient.session_id) if recipient is not None else None
    if (
        recipient is None
        or session is None
        or recipient.status != RecipientStatus.CONFIRMED
        or session.status != SessionStatus.PUBLISHED
    ):
        raise InviteNotFound(
            "This link opens no invite: the booking may be cancelled or still on the waiting list. "
            "Open your booking's page for its current link."
        )
    return build_invite(invite_facts(recipient, session), "PUBLISH", stamp=now or utcnow())
