"""The reset link by e-mail, when the scheduler has an SMTP server (``BRUG_SMTP_*``, the notifier's names).

Sent after the link's row is committed (a background task of the coordinator's request), so the
e-mail never carries a link that does not exist. The message names no topic and no session: it may be
read on a shared phone. It is in Dutch and English, as the staff pages are. A failure is logged
(``scheduler.password_reset_mail_failed``, with the server's code, never the address); the
coordinator's page shows the link in any case, to hand over another way.
"""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from zoneinfo import ZoneInfo

import aiosmtplib
import structlog

from scheduler.settings import SchedulerSettings

__all__ = ["SUBJECT", "compose", "send"]

log = structlog.get_logger("scheduler.accounts")

#: the programme's zone, as the staff pages show times (scheduler.staff.common.HOME_ZONE)
ZONE = ZoneInfo("Europe/Amsterdam")
SUBJECT = "Brug: nieuw wachtwoord / new password"

BODY = """Een coördinator van Brug heeft een link gemaakt waarmee je een nieuw wachtwoord kiest:

{link}

De link werkt één keer, tot {until} (Nederlandse tijd). Heb je hier niet om gevraagd? Laat het een coördinator weten.

A Brug coordinator made a link for you to choose a new password:

{link}

The link works once, until {until} (Dutch time). Did you not ask for this? Tell a coordinator.

Dit bericht is automatisch verstuurd. / This message was sent automatically. Please do not reply.
"""


def compose(settings: SchedulerSettings, to: str, link: str, until: datetime, now: datetime) -> EmailMessage:
    sender = settings.smtp_from or ""
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, SUBJECT
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(BODY.format(link=link, until=f"{until.astimezone(ZONE):%d-%m-%Y %H:%M}"))
    return message


async def send(settings: SchedulerSettings, message: EmailMessage, user_id: str) -> None:
    """Hand ``message`` to the SMTP server; a failure is logged, not raised (the response has gone)."""
    password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
    try:
        await aiosmtplib.send(
            message,
            hostname=settings.smtp_host,
            port=settings.smtp_port,
            username=settings.smtp_username,
            password=password,
            use_tls=settings.smtp_tls == "tls",
            start_tls=settings.smtp_tls == "starttls",
            timeout=settings.smtp_timeout_seconds,
        )
    except aiosmtplib.SMTPResponseException as error:
        log.warning("scheduler.password_reset_mail_failed", user_id=user_id, error=f"smtp {error.code}")
        return
    except (aiosmtplib.SMTPException, OSError) as error:
        log.warning("scheduler.password_reset_mail_failed", user_id=user_id, error=type(error).__name__)
        return
    log.info("scheduler.password_reset_mailed", user_id=user_id)
