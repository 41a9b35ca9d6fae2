"""Sending an e-mail over SMTP with aiosmtplib, and what its failures mean.

MailError
├── MailRejected      the server refused this message or address for good (5xx): not retried
└── MailUnavailable   no connection, a timeout, a 4xx, bad credentials: retried with backoff
"""

from __future__ import annotations

from email.message import EmailMessage

import aiosmtplib

from notifier.settings import NotifierSettings

__all__ = ["MailError", "MailRejected", "MailUnavailable", "send_email"]


class MailError(Exception):
    pass


class MailRejected(MailError):
    pass


class MailUnavailable(MailError):
    pass


async def send_email(settings: NotifierSettings, message: EmailMessage) -> None:
    """Hand ``message`` to the configured server; raises :class:`MailError` saying why not.

    Error texts name the server's code and the kind of failure, never an address.
    """
    try:
        await aiosmtplib.send(
            message,
            hostname=settings.smtp_host,
            port=settings.smtp_port,
            username=settings.smtp_username,
            password=settings.smtp_password,
            use_tls=settings.smtp_tls == "tls",
            start_tls=settings.smtp_tls == "starttls",
            timeout=settings.smtp_timeout_seconds,
        )
    except aiosmtplib.SMTPAuthenticationError as error:
        raise MailUnavailable(
            f"smtp: login refused ({error.code}); check BRUG_SMTP_USERNAME and BRUG_SMTP_PASSWORD"
        ) from None
    except aiosmtplib.SMTPRecipientsRefused as error:
        codes = sorted({r.code for r in error.recipients})
        kind = MailRejected if all(c >= 500 for c in codes) else MailUnavailable
        raise kind(f"smtp: recipient refused ({', '.join(map(str, codes))})") from None
    except aiosmtplib.SMTPResponseException as error:
        kind = MailRejected if error.code >= 500 else MailUnavailable
        raise kind(f"smtp: {type(error).__name__} ({error.code})") from None
    except (aiosmtplib.SMTPException, OSError) as error:
        raise MailUnavailable(
            f"smtp: {type(error).__name__}; is {settings.smtp_host}:{settings.smtp_port} up?"
        ) from None
