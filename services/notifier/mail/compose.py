"""E-mails: the same short text as the SMS, as plain text and HTML, with the invite attached.

The subject is the message itself (it is short, and says no more than an
SMS would); the HTML is in the attendee's language and direction
(``dir="rtl"`` for Arabic, Persian, Dari and Pashto). A booking that chose
``invite`` gets the calendar entry as a ``text/calendar`` attachment:
METHOD:REQUEST for a confirmation, promotion or change, METHOD:CANCEL when
the session is called off or this one booking is cancelled (then with a
SEQUENCE one above the session's, so it outranks the last request). The
Message-ID is derived from the delivery's idempotency key, so a retried
e-mail is recognisably the same one.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from html import escape

from sqlalchemy import Engine

from notifier.deliveries.messages import render
from notifier.deliveries.models import Delivery, DeliveryKind
from notifier.deliveries.service import Claim, facts_of, load, skip
from notifier.invites.calendar import build_invite
from notifier.invites.service import invite_facts
from notifier.recipients.models import Recipient, SessionCopy
from notifier.reminders.service import CANCEL_KINDS, INVITE_KINDS
from notifier.settings import NotifierSettings
from shared.discretion import DiscretionError, sensitive_words_in
from shared.events import Channel, utcnow
from shared.i18n import negotiate, text_direction, translate
from shared.unit_of_work import UnitOfWork

__all__ = ["FOOTER", "prepare_email", "compose"]

#: the one e-mail-only text (a gettext msgid, translated in every catalog).
FOOTER = "This message was sent automatically. Please do not reply."


def prepare_email(engine: Engine, claim: Claim, settings: NotifierSettings) -> EmailMessage | None:
    """The e-mail to send for ``claim``; None when it must wait or not go at all (see service.load)."""
    with UnitOfWork(engine) as db:
        loaded = load(db, claim, settings)
        if loaded is None:
            return None
        delivery, recipient, session, contact = loaded
        address = contact.get("email")
        if not address:
            skip(db, delivery, "no e-mail address with this booking; not sent")
            return None
        return compose(delivery, recipient, session, to=address, sender=settings.smtp_from or "", now=utcnow())


def compose(
    delivery: Delivery, recipient: Recipient, session: SessionCopy, *, to: str, sender: str, now: datetime
) -> EmailMessage:
    locale = negotiate(recipient.locale)
    text = render(delivery.kind, locale, facts_of(delivery, recipient, session))
    footer = translate(locale, FOOTER)
    if sensitive_words_in(footer):
        raise DiscretionError(f"the e-mail footer in {locale} names a sensitive word; not sent")
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, text
    message["Date"] = format_datetime(now)
    message["Message-ID"] = _message_id(delivery.idempotency_key, sender)
    message["Auto-Submitted"] = "auto-generated"
    message["Content-Language"] = locale
    message.set_content(f"{text}\n\n{footer}\n")
    message.add_alternative(_html(text, footer, locale), subtype="html")
    if Channel.INVITE in recipient.channels and delivery.kind in INVITE_KINDS:
        method = "CANCEL" if delivery.kind in CANCEL_KINDS else "REQUEST"
        # one booking's cancellation outranks the last request, which carried the session's sequence
        facts = invite_facts(recipient, session, later=1 if delivery.kind == DeliveryKind.BOOKING_CANCELLED else 0)
        invite = build_invite(facts, method, stamp=now, organizer=sender, attendee=to)
        message.add_attachment(
            invite, maintype="text", subtype="calendar", filename="invite.ics", params={"method": method}
        )
    return message


def _html(text: str, footer: str, locale: str) -> str:
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{locale}" dir="{text_direction(locale)}">'
        '<head><meta charset="utf-8"></head>'
        '<body style="font-family: sans-serif; font-size: 18px; line-height: 1.5">'
        f"<p>{escape(text)}</p>"
        f'<p style="color: #555; font-size: 14px">{escape(footer)}</p>'
        "</body></html>\n"
    )


def _message_id(idempotency_key: str, sender: str) -> str:
    domain = sender.rsplit("@", 1)[-1] or "brug.invalid"
    return f"<{hashlib.sha256(idempotency_key.encode()).hexdigest()[:32]}@{domain}>"
