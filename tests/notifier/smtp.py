"""A real SMTP server on 127.0.0.1 (aiosmtpd, in a thread) that keeps every message it receives."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

from shared.natsserver import free_port

__all__ = ["SmtpSink"]


@dataclass
class SmtpSink:
    """``with SmtpSink() as smtp:``; ``smtp.messages`` holds the parsed messages, ``smtp.port`` the port."""

    refuse_with: str | None = None
    #: seconds the server takes before it accepts a message (a slow mail server)
    accept_after: float = 0.0
    messages: list[EmailMessage] = field(default_factory=list)
    recipients: list[list[str]] = field(default_factory=list)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:  # noqa: N802
        if self.refuse_with:
            return self.refuse_with
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        await asyncio.sleep(self.accept_after)
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))  # type: ignore[arg-type]
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted"

    def __enter__(self) -> SmtpSink:
        logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs addresses at INFO
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.controller.stop()
