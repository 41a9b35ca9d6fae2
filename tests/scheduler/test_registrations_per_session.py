"""Issue 16, item 2c: one client took every seat and most of the waiting list of a session by
registering 70 times. Now a client registers at most 5 times per session in an hour (the family
``registration-per-session``), on the API and on the attendee page; other sessions and other clients
are not held up."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest

from scheduler.app import create_app
from shared.i18n import translate
from shared.natsserver import NatsServer
from tests.support.config import ADMIN_EMAIL, ADMIN_PASSWORD, Keys, scheduler_settings
from tests.support.factories import make_session, signed_in
from tests.support.servers import ThreadedServer

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@pytest.fixture
def served(nats: NatsServer, database_url: str, keys: Keys) -> Iterator[ThreadedServer]:
    """The scheduler with the per-session limit at its default. The per-minute registration limit is off,
    as an attacker would pace under it; behind a trusted proxy (127.0.0.1), X-Forwarded-For names the client."""
    settings = scheduler_settings(
        nats.url,
        database_url,
        keys,
        rate_limit_per_minute={"registration": 0},
        rate_limit_trusted_proxies=["127.0.0.1"],
    )
    with ThreadedServer(create_app(settings)) as server:
        yield server


@pytest.fixture
def session_id(served: ThreadedServer) -> str:
    with served.client() as client:
        coordinator = signed_in(client, ADMIN_EMAIL, ADMIN_PASSWORD)
        return str(make_session(coordinator, capacity=10)["id"])


def register(client: httpx.Client, session_id: str, address: str = "203.0.113.7") -> httpx.Response:
    return client.post(
        f"/api/v1/sessions/{session_id}/bookings", json={"locale": "nl"}, headers={"X-Forwarded-For": address}
    )


def test_seventy_registrations_from_one_client_take_five_places(served: ThreadedServer, session_id: str) -> None:
    """Before: all 70 were taken (201): the 10 seats and 60 places on the waiting list. After: 5 are
    taken, the other 65 get 429 with Retry-After in minutes, not seconds, and a detail that says so."""
    with served.client() as attacker:
        answers = [register(attacker, session_id) for _ in range(70)]
    assert [a.status_code for a in answers] == [201] * 5 + [429] * 65
    refused = answers[5]
    assert refused.json()["error"] == "TooManyRequests"
    assert 3000 < int(refused.headers["Retry-After"]) <= 3600
    assert "minutes" in refused.json()["detail"]
    with served.client() as client:
        listed = signed_in(client, ADMIN_EMAIL, ADMIN_PASSWORD).get(f"/api/v1/sessions/{session_id}").json()
    assert (listed["confirmed"], listed["waitlisted"]) == (5, 0)


def test_other_clients_and_other_sessions_are_not_held_up(served: ThreadedServer, session_id: str) -> None:
    with served.client() as client:
        assert [register(client, session_id).status_code for _ in range(6)] == [201] * 5 + [429]
        assert register(client, session_id, address="198.51.100.20").status_code == 201
        coordinator = signed_in(client, ADMIN_EMAIL, ADMIN_PASSWORD)
        other = str(make_session(coordinator)["id"])
        assert register(client, other).status_code == 201


def test_the_page_says_to_try_later_in_the_visitors_language(served: ThreadedServer, session_id: str) -> None:
    """Before: the sixth registration on the page was taken (201). After: 429 with Retry-After and a page
    in Arabic that says to try again later (not "wait a minute": the window is an hour)."""
    with served.client() as visitor:
        headers = {"X-Forwarded-For": "203.0.113.9"}
        form = visitor.get(f"/s/{session_id}?lang=ar", headers=headers)
        csrf = CSRF.search(form.text)
        assert csrf is not None
        answers = [
            visitor.post(
                f"/s/{session_id}?lang=ar", data={"csrf": csrf.group(1), "idempotency_key": f"k-{n}"}, headers=headers
            )
            for n in range(6)
        ]
    assert [a.status_code for a in answers] == [303] * 5 + [429]  # 303: to the booking page
    assert int(answers[5].headers["Retry-After"]) > 3000
    assert "text/html" in answers[5].headers["content-type"]
    later = translate("ar", "Too many tries from this connection. Try again later.")
    a_minute = translate("ar", "Too many tries from this connection. Wait a minute, then try again.")
    assert later != "Too many tries from this connection. Try again later."  # translated
    assert later in answers[5].text and a_minute not in answers[5].text  # "later", not "a minute"
