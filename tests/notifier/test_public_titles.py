"""An SMS names the session by its title in the attendee's language (shared.titles).

Before: every SMS carried ``public_title``, so an Arabic attendee of a session
titled in Dutch read "Donderdagmiddag" in an Arabic text.
"""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine

from notifier.deliveries.dispatcher import Dispatcher
from notifier.gateways import FileGateway
from notifier.recipients.models import SessionCopy
from shared.events import SessionPublished
from shared.unit_of_work import UnitOfWork
from tests.notifier.events import apply, base_settings, confirm
from tests.support.config import Keys

STARTS = (datetime.now(UTC) + timedelta(days=7)).replace(hour=14, minute=0, second=0, microsecond=0)
ARABIC = "لقاء الخميس"


def _published(**fields: object) -> SessionPublished:
    values: dict[str, object] = {
        "session_id": "s1",
        "public_title": "Donderdagmiddag",
        "venue_public_name": "Keizersgracht 12",
        "address": "Keizersgracht 12, 1015 CS Amsterdam",
        "starts_at": STARTS,
        "ends_at": STARTS + timedelta(hours=2),
        "timezone": "Europe/Amsterdam",
        "languages": ["ar", "nl"],
        "audience": "open",
        "capacity": 10,
        **fields,
    }
    return SessionPublished.model_validate(values)


def _texts(engine: Engine, keys: Keys, tmp_path: Path) -> dict[str, str]:
    """The confirmation SMS each booking (by its code) was sent."""
    settings = base_settings(keys, quiet_hours="")
    for code, locale, phone in (("AR00-0001", "ar", "+31612345601"), ("NL00-0001", "nl", "+31612345602")):
        confirm(engine, settings, keys, code, locale=locale, phone=phone)
    confirm(engine, settings, keys, "TI00-0001", locale="ti", phone="+31612345603")
    sink = tmp_path / "sms.jsonl"
    dispatcher = Dispatcher(engine, settings, [FileGateway(sink)], wake_relay=lambda: None)
    asyncio.run(dispatcher.dispatch_once())
    lines = [json.loads(line) for line in sink.read_text().splitlines()]
    return {
        line["idempotency_key"].split(":")[1]: line["body"]
        for line in lines
        if "confirmation" in line["idempotency_key"]
    }


def test_each_sms_has_the_title_in_the_attendees_language(notifier_db: Engine, keys: Keys, tmp_path: Path) -> None:
    apply(notifier_db, base_settings(keys), _published(public_titles={"ar": ARABIC}))
    texts = _texts(notifier_db, keys, tmp_path)
    assert ARABIC in texts["AR00-0001"] and "Donderdagmiddag" not in texts["AR00-0001"]
    assert "Donderdagmiddag" in texts["NL00-0001"] and ARABIC not in texts["NL00-0001"]
    # Tigrinya is not one of the session's languages: the first language's title, not the Dutch default
    assert ARABIC in texts["TI00-0001"] and "Donderdagmiddag" not in texts["TI00-0001"]


def test_a_session_published_without_titles_per_language_keeps_its_one_title(
    notifier_db: Engine, keys: Keys, tmp_path: Path
) -> None:
    """An event from a scheduler before public_titles (and a copy kept before them) reads as it did."""
    apply(notifier_db, base_settings(keys), _published())
    with UnitOfWork(notifier_db) as db:
        copy = db.get(SessionCopy, "s1")
        assert copy is not None and copy.public_titles is None
    texts = _texts(notifier_db, keys, tmp_path)
    assert all("Donderdagmiddag" in text for text in texts.values())


def test_titles_given_later_reach_the_messages_still_to_send(notifier_db: Engine, keys: Keys) -> None:
    """The scheduler publishes the session again when its titles per language change."""
    settings = base_settings(keys)
    apply(notifier_db, settings, _published())
    apply(notifier_db, settings, _published(public_titles={"ar": ARABIC}))
    with UnitOfWork(notifier_db) as db:
        copy = db.get(SessionCopy, "s1")
        assert copy is not None
        assert (copy.title_in("ar"), copy.title_in("nl"), copy.title_in("fa")) == (ARABIC, "Donderdagmiddag", ARABIC)
