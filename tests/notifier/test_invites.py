"""Calendar invites: the venue's zone across the DST change, one UID per booking, discreet, downloadable."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import Engine

from notifier.invites.calendar import InviteFacts, build_invite
from shared.discretion import DiscretionError
from shared.invite_tokens import invite_token, token_matches
from tests.notifier.events import base_settings, confirm, publish
from tests.notifier.invite_checks import read_invite
from tests.support.config import Keys
from tests.support.servers import ThreadedServer

#: 29 March 2026 10:00 CEST, the morning the clocks went forward (08:00 UTC).
SPRING = datetime(2026, 3, 29, 8, 0, tzinfo=UTC)
#: 25 October 2026 10:00 CET, the morning they went back (09:00 UTC).
AUTUMN = datetime(2026, 10, 25, 9, 0, tzinfo=UTC)


def _facts(starts: datetime, **overrides: object) -> InviteFacts:
    values: dict[str, object] = {
        "uid": "k7qf-93xa.s1@brug",
        "sequence": 0,
        "title": "Thursday meeting",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=2),
        "timezone": "Europe/Amsterdam",
        "location": "Keizersgracht 12, 1015 CS Amsterdam",
        "alarm_text": "Herinnering: Thursday meeting",
        **overrides,
    }
    return InviteFacts(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(("starts", "wall_clock"), [(SPRING, "20260329T100000"), (AUTUMN, "20261025T100000")])
def test_an_invite_keeps_the_venues_hour_across_the_dst_change(starts: datetime, wall_clock: str) -> None:
    data = build_invite(_facts(starts), "REQUEST", stamp=datetime.now(UTC), organizer="no-reply@brug.example")
    calendar, event, other = read_invite(data)
    assert f"DTSTART;TZID=Europe/Amsterdam:{wall_clock}" in data.decode()
    assert event.decoded("DTSTART").astimezone(UTC) == starts
    assert other.begin.to("UTC").datetime == starts
    assert str(calendar["METHOD"]) == "REQUEST"
    [alarm] = event.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY" and alarm.decoded("TRIGGER") == timedelta(hours=-2)
    assert str(alarm["DESCRIPTION"]) == "Herinnering: Thursday meeting"
    assert str(event["SUMMARY"]) == "Thursday meeting" and str(event["LOCATION"]).startswith("Keizersgracht 12")


def test_a_request_names_the_no_reply_organizer_and_only_the_attendee() -> None:
    data = build_invite(
        _facts(SPRING), "REQUEST", stamp=datetime.now(UTC), organizer="no-reply@brug.example", attendee="a@example.net"
    )
    _, event, _ = read_invite(data)
    assert str(event["ORGANIZER"]) == "mailto:no-reply@brug.example"
    assert str(event["ATTENDEE"]) == "mailto:a@example.net"
    assert event["ATTENDEE"].params["RSVP"] == "FALSE"


def test_a_cancellation_keeps_the_uid_and_raises_the_sequence() -> None:
    data = build_invite(_facts(SPRING, sequence=2), "CANCEL", stamp=datetime.now(UTC), organizer="n@brug.example")
    calendar, event, other = read_invite(data)
    assert str(calendar["METHOD"]) == "CANCEL" and str(event["STATUS"]) == "CANCELLED"
    assert event["SEQUENCE"] == 2 and str(event["UID"]) == "k7qf-93xa.s1@brug"
    assert other.status == "CANCELLED"


@pytest.mark.parametrize("title", ["Avond over huiselijk geweld", "Sexual health evening", "لقاء حول العنف"])
def test_an_invite_that_would_name_the_topic_is_refused_without_echoing_it(title: str) -> None:
    with pytest.raises(DiscretionError) as refused:
        build_invite(_facts(SPRING, title=title), "PUBLISH", stamp=datetime.now(UTC))
    assert title not in str(refused.value)


def test_the_invite_token_is_bound_to_the_code_and_the_secret() -> None:
    secret = "x" * 16 + "y" * 16
    token = invite_token(secret, "k7qf-93xa")
    assert token == invite_token(secret, "K7QF-93XA") and len(token) == 43
    assert token_matches(secret, "K7QF-93XA", token)
    assert not token_matches(secret, "K7QF-93XB", token)
    assert not token_matches("z" * 32, "K7QF-93XA", token)


def test_the_download_is_a_publish_without_attendee_and_needs_the_token(
    notifier_server: ThreadedServer, notifier: httpx.Client, engine: Engine, keys: Keys
) -> None:
    settings = base_settings(keys)
    publish(engine, settings, datetime.now(UTC) + timedelta(days=3))
    confirm(engine, settings, keys, "K7QF-93XA", channels=[], phone=None)
    url = "/api/v1/invites/K7QF-93XA.ics"
    response = notifier.get(url, params={"token": invite_token(keys.invite_secret, "K7QF-93XA")})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/calendar")
    assert response.headers["cache-control"] == "no-store"
    calendar, event, _ = read_invite(response.content)
    assert str(calendar["METHOD"]) == "PUBLISH" and "ATTENDEE" not in event and "ORGANIZER" not in event

    wrong = notifier.get(url, params={"token": invite_token(keys.invite_secret, "K7QF-93XB")})
    unknown = notifier.get(
        "/api/v1/invites/ZZZZ-0000.ics", params={"token": invite_token(keys.invite_secret, "ZZZZ-0000")}
    )
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.json() == unknown.json() and "booking's page" in wrong.json()["detail"]
    assert notifier.get(url).status_code == 422
