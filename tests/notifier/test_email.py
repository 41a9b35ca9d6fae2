"""E-mail over SMTP: the attendee's language and direction, the invite attached, channels obeyed."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po
from sqlalchemy import Engine

from notifier.deliveries.dispatcher import Dispatcher
from notifier.gateways import FileGateway
from notifier.mail.compose import FOOTER
from notifier.settings import NotifierSettings
from shared.discretion import sensitive_words_in
from shared.events import BookingCancelled, SessionCancelled, SessionRescheduled
from shared.i18n import SUPPORTED, catalog_path
from shared.logging import configure_logging
from tests.notifier.events import EMAIL, apply, base_settings, confirm, planned, publish
from tests.notifier.invite_checks import read_invite
from tests.notifier.smtp import SmtpSink
from tests.support.config import Keys

STARTS = (datetime.now(UTC) + timedelta(days=7)).replace(hour=13, minute=0, second=0, microsecond=0)
SENDER = "no-reply@brug.example"


@pytest.fixture
def smtp() -> Iterator[SmtpSink]:
    with SmtpSink() as sink:
        yield sink


def _settings(keys: Keys, smtp: SmtpSink, **overrides: Any) -> NotifierSettings:
    return base_settings(
        keys, smtp_host="127.0.0.1", smtp_port=smtp.port, smtp_tls="none", smtp_from=SENDER, quiet_hours="", **overrides
    )


def _dispatch(engine: Engine, settings: NotifierSettings, tmp_path: Path, rounds: int = 1) -> None:
    dispatcher = Dispatcher(engine, settings, [FileGateway(tmp_path / "sms.jsonl")], lambda: None)
    for _ in range(rounds):
        asyncio.run(dispatcher.dispatch_once())


def _invite(message: Any) -> bytes:
    [part] = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    return part.get_payload(decode=True)


def test_a_confirmation_in_arabic_with_its_invite_then_a_change_then_a_cancellation(
    notifier_db: Engine, keys: Keys, smtp: SmtpSink, tmp_path: Path
) -> None:
    buffer = io.StringIO()
    configure_logging("notifier", level="DEBUG", stream=buffer)
    settings = _settings(keys, smtp)
    publish(notifier_db, settings, STARTS)
    confirm(notifier_db, settings, keys, "K7QF-93XA", channels=["sms", "email", "invite"], email=EMAIL, locale="ar")
    _dispatch(notifier_db, settings, tmp_path)
    [message] = smtp.messages
    assert smtp.recipients == [[EMAIL]] and message["From"] == SENDER
    assert message["Subject"].startswith("أصبح") or message["Subject"].startswith("لديك")
    plain = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert 'dir="rtl"' in html and 'lang="ar"' in html and "K7QF-93XA" in plain
    assert sensitive_words_in(plain + html + message["Subject"]) == []
    calendar, event, _ = read_invite(_invite(message))
    assert str(calendar["METHOD"]) == "REQUEST" and event["SEQUENCE"] == 0
    assert str(event["ORGANIZER"]) == f"mailto:{SENDER}" and str(event["ATTENDEE"]) == f"mailto:{EMAIL}"
    assert str(event["LOCATION"]) == "Keizersgracht 12, 1015 CS Amsterdam"

    later = STARTS + timedelta(days=1)
    apply(
        notifier_db,
        settings,
        SessionRescheduled(
            session_id="s1",
            revision=1,
            venue_public_name="Keizersgracht 12",
            address="Keizersgracht 12, 1015 CS Amsterdam",
            starts_at=later,
            ends_at=later + timedelta(hours=2),
            timezone="Europe/Amsterdam",
        ),
    )
    _dispatch(notifier_db, settings, tmp_path)
    changed = smtp.messages[1]
    _, moved, _ = read_invite(_invite(changed))
    assert str(moved["UID"]) == str(event["UID"]) and moved["SEQUENCE"] == 1
    assert moved.decoded("DTSTAMP") >= event.decoded("DTSTAMP")
    assert moved.decoded("DTSTART").astimezone(UTC) == later

    apply(notifier_db, settings, SessionCancelled(session_id="s1"))
    _dispatch(notifier_db, settings, tmp_path)
    calendar, cancelled, _ = read_invite(_invite(smtp.messages[2]))
    assert str(calendar["METHOD"]) == "CANCEL" and str(cancelled["STATUS"]) == "CANCELLED"
    assert str(cancelled["UID"]) == str(event["UID"]) and cancelled["SEQUENCE"] == 2
    assert len(smtp.messages) == 3

    logs = buffer.getvalue()
    assert "notifier.email.sent" in logs
    for trace in (EMAIL, "amal", "612345678"):
        assert trace not in logs, trace


def test_a_cancelled_booking_takes_its_entry_out_of_the_calendar(
    notifier_db: Engine, keys: Keys, smtp: SmtpSink, tmp_path: Path
) -> None:
    settings = _settings(keys, smtp)
    publish(notifier_db, settings, STARTS)
    confirm(notifier_db, settings, keys, "CNCL-0001", channels=["invite"], phone=None, email=EMAIL, locale="fa-AF")
    confirm(notifier_db, settings, keys, "STAY-0001", channels=["invite"], phone=None, email="b@example.net")
    confirm(notifier_db, settings, keys, "MAIL-0001", channels=["email"], phone=None, email="c@example.net")
    _dispatch(notifier_db, settings, tmp_path)
    confirm(notifier_db, settings, keys, "LATE-0001", channels=["invite"], phone=None, email="d@example.net")
    [request] = [m for m in smtp.messages if m["To"] == EMAIL]
    _, first, _ = read_invite(_invite(request))

    for code in ("CNCL-0001", "MAIL-0001", "LATE-0001"):  # LATE's invite was never sent: nothing to take back
        apply(notifier_db, settings, BookingCancelled(booking_code=code, session_id="s1"))
        apply(notifier_db, settings, BookingCancelled(booking_code=code, session_id="s1"))  # a redelivery
    _dispatch(notifier_db, settings, tmp_path)
    after = smtp.messages[3:]
    assert [m["To"] for m in after] == [EMAIL]
    [cancel] = after
    calendar, event, other = read_invite(_invite(cancel))
    assert str(calendar["METHOD"]) == "CANCEL" and str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == str(first["UID"]) and event["SEQUENCE"] == first["SEQUENCE"] + 1
    assert str(event["SUMMARY"]) == "Thursday meeting" and other.name == "Thursday meeting"
    assert str(event["ATTENDEE"]) == f"mailto:{EMAIL}" and "VALARM" not in _invite(cancel).decode()
    # in the attendee's own language (Dari), with the code that tells them which booking it was
    assert cancel["Subject"].startswith("جای شما لغو شد: Thursday meeting") and "CNCL-0001" in cancel["Subject"]
    assert 'lang="fa-AF"' in cancel.get_body(("html",)).get_content()
    assert sensitive_words_in(cancel.get_body(("plain",)).get_content()) == []
    assert [d.kind for d in planned(notifier_db, booking_code="LATE-0001")] == []


def test_channels_decide_what_goes_by_email(notifier_db: Engine, keys: Keys, smtp: SmtpSink, tmp_path: Path) -> None:
    settings = _settings(keys, smtp)
    publish(notifier_db, settings, STARTS)
    confirm(notifier_db, settings, keys, "MAIL-0001", channels=["email"], phone=None, email=EMAIL)
    confirm(notifier_db, settings, keys, "INVT-0001", channels=["invite"], phone=None, email="b@example.net")
    by_code = {r.booking_code: [] for r in planned(notifier_db)}
    for row in planned(notifier_db):
        by_code[row.booking_code].append((row.kind, row.channel))
    assert by_code["MAIL-0001"] == [("confirmation", "email"), ("reminder", "email"), ("reminder", "email")]
    assert by_code["INVT-0001"] == [("confirmation", "email")]  # only the e-mails that carry an invite
    _dispatch(notifier_db, settings, tmp_path)
    plain_only = next(m for m in smtp.messages if m["To"] == EMAIL)
    assert list(plain_only.iter_attachments()) == []
    assert 'dir="ltr"' in plain_only.get_body(("html",)).get_content()


def test_without_smtp_no_email_is_planned(notifier_db: Engine, keys: Keys) -> None:
    settings = base_settings(keys)
    assert not settings.email_enabled
    publish(notifier_db, settings, STARTS)
    confirm(notifier_db, settings, keys, "NOML-0001", channels=["email", "invite"], phone=None, email=EMAIL)
    assert planned(notifier_db) == []


def test_a_refused_address_fails_at_once(notifier_db: Engine, keys: Keys, tmp_path: Path) -> None:
    with SmtpSink(refuse_with="550 5.1.1 No such user") as smtp:
        settings = _settings(keys, smtp)
        publish(notifier_db, settings, STARTS)
        confirm(notifier_db, settings, keys, "RFSD-0001", channels=["email"], phone=None, email=EMAIL)
        _dispatch(notifier_db, settings, tmp_path)
    [row] = planned(notifier_db, kind="confirmation")
    assert row.status == "failed" and "550" in (row.last_error or "") and EMAIL not in (row.last_error or "")


def test_an_unreachable_server_is_retried_later(notifier_db: Engine, keys: Keys, tmp_path: Path) -> None:
    from shared.natsserver import free_port

    settings = base_settings(
        keys, smtp_host="127.0.0.1", smtp_port=free_port(), smtp_tls="none", smtp_from=SENDER, quiet_hours=""
    )
    publish(notifier_db, settings, STARTS)
    confirm(notifier_db, settings, keys, "DOWN-0001", channels=["email"], phone=None, email=EMAIL)
    _dispatch(notifier_db, settings, tmp_path)
    [row] = planned(notifier_db, kind="confirmation")
    assert row.status == "pending" and row.attempts == 1 and not row.in_doubt


def test_smtp_settings_are_checked() -> None:
    keys = Keys()
    with pytest.raises(ValueError, match="BRUG_SMTP_FROM"):
        base_settings(keys, smtp_host="smtp.example.org").check()
    with pytest.raises(ValueError, match="BRUG_SMTP_USERNAME"):
        base_settings(keys, smtp_host="smtp.example.org", smtp_from=SENDER, smtp_username="u").check()
    with pytest.raises(ValueError, match="BRUG_INVITE_TOKEN_SECRET"):
        base_settings(keys, invite_token_secret="short").check()


@pytest.mark.parametrize("locale", [loc for loc in SUPPORTED if loc != "en"])
def test_the_email_footer_is_translated_and_discreet(locale: str) -> None:
    with catalog_path(locale).open("rb") as source:
        message = read_po(source).get(FOOTER)
    assert message is not None and message.string and not message.fuzzy
    assert sensitive_words_in(message.string) == []
