"""Event contracts: round trip, versions, malformed input, no personal data."""

from __future__ import annotations

import json
import re

import pytest

from feedback.app import create_app as feedback_app
from notifier.app import create_app as notifier_app
from scheduler.app import create_app as scheduler_app
from shared.events import BookingConfirmed, Envelope, EventRejected, SessionCompleted, parse_event, registry
from shared.natsauth import READS
from tests.support.config import Keys, feedback_settings, notifier_settings, scheduler_settings

PERSONAL_FIELDS = {"phone", "email", "nickname", "name", "address_line"}


def test_an_event_survives_the_wire_unchanged() -> None:
    event = Envelope.wrap(
        SessionCompleted(session_id="s1", attendance=3, walk_ins=1, attended_booking_codes=["AB"]),
        producer="scheduler",
        correlation_id="c1",
    )
    parsed = parse_event(event.to_json())
    assert parsed == event
    assert parsed.subject == "scheduling.session.completed"
    assert parsed.correlation_id == "c1"


def test_unknown_fields_are_ignored_so_producers_can_add_fields() -> None:
    event = Envelope.wrap(BookingConfirmed(booking_code="AB", session_id="s", locale="ar"), producer="scheduler")
    raw = json.loads(event.to_json())
    raw["payload"]["added_later"] = 1
    raw["new_envelope_field"] = True
    assert parse_event(json.dumps(raw).encode()).payload == event.payload


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\xff\xfe not json", "not JSON"),
        (b"[1, 2]", "not a JSON object"),
        (b'{"type": "scheduling.nothing.happened", "version": 1}', "unknown event type"),
        (b'{"type": "scheduling.booking.confirmed", "version": 9, "payload": {}}', "unknown version 9"),
        (
            b'{"type": "scheduling.booking.confirmed", "version": 1, "producer": "x", "payload": {"session_id": "s"}}',
            "payload.booking_code",
        ),
    ],
)
def test_a_bad_message_is_rejected_with_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(EventRejected, match=reason):
        parse_event(data)


def test_no_event_has_a_field_for_readable_personal_data() -> None:
    for (event_type, _version), payload in registry().items():
        leaked = PERSONAL_FIELDS & set(payload.model_fields)
        assert not leaked, f"{event_type} carries {leaked}; seal it to the notifier's key instead"


def test_every_event_type_names_its_stream_and_who_consumes_it_as_the_bus_permissions_do() -> None:
    """The catalogue's "Consumed by" is what shared/natsauth.py's READS gives each service's consumer
    (it once said feedback consumed SessionCancelled; it did not)."""
    for (event_type, _), payload in registry().items():
        assert event_type.split(".")[0] in {"scheduling", "notify", "feedback"}
        said = re.search(r"Consumed by ([a-z, ]+?)(?:[.:]|$)", payload.__doc__ or "", re.MULTILINE)
        assert said, f"{event_type}: say who consumes it ('Consumed by notifier and feedback.')"
        named = set(re.split(r",\s*|\s+and\s+", said.group(1))) - {"none"}
        readers = {service for service, events in READS.items() if payload in events}
        assert named == readers, f"{event_type}: the docstring says {sorted(named)}, READS {sorted(readers)}"


def test_what_reads_gives_each_service_is_what_its_handlers_are_registered_for() -> None:
    """The other half of the catalogue's "Consumed by": each service's app is built only when its
    handlers' ``event`` annotations are exactly its READS (shared.web, tests/shared/test_consumer.py),
    so the catalogue says what the code consumes."""
    keys, nats_url = Keys(), "nats://127.0.0.1:1"
    scheduler_app(scheduler_settings(nats_url, "sqlite://", keys))
    notifier_app(notifier_settings(nats_url, "sqlite://", keys))
    feedback_app(feedback_settings(nats_url, "sqlite://", keys))
