"""Public scheduler routes limit each client: guessed passwords and booking links, and registrations."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from scheduler.app import create_app
from shared.i18n import translate
from shared.natsserver import NatsServer
from tests.support.config import ADMIN_EMAIL, ADMIN_PASSWORD, Keys, scheduler_settings
from tests.support.factories import book, make_session, signed_in
from tests.support.servers import ThreadedServer


@pytest.fixture
def limited(nats: NatsServer, database_url: str, keys: Keys) -> Iterator[httpx.Client]:
    """The scheduler with its default limits (the other tests turn the registration limits off), but for
    the registrations per client and session (tests/scheduler/test_registrations_per_session.py), which
    would stop the sixty a minute here long before the per-minute limit does.

    The per-account lock-out is off here, so the per-client limit is what stops the guesses
    (tests/scheduler/test_lockout.py tests the lock-out)."""
    settings = scheduler_settings(
        nats.url, database_url, keys, rate_limit_per_minute={"registration-per-session": 0}, signin_lockout_failures=0
    )
    with ThreadedServer(create_app(settings)) as server, server.client() as client:
        yield client


def _too_many(response: httpx.Response) -> None:
    assert response.status_code == 429, response.text
    assert int(response.headers["Retry-After"]) > 0
    assert response.json()["error"] == "TooManyRequests"


def test_the_eleventh_wrong_password_in_a_minute_is_refused_and_right_ones_do_not_count(
    limited: httpx.Client,
) -> None:
    for _ in range(12):
        assert limited.post("/api/v1/auth/token", data={"username": ADMIN_EMAIL, "password": ADMIN_PASSWORD}).is_success
    for _ in range(10):
        wrong = limited.post("/api/v1/auth/token", data={"username": ADMIN_EMAIL, "password": "not the password"})
        assert wrong.status_code == 401
    _too_many(limited.post("/api/v1/auth/token", data={"username": ADMIN_EMAIL, "password": ADMIN_PASSWORD}))


def test_guessing_booking_links_is_stopped_but_opening_ones_own_is_not(limited: httpx.Client) -> None:
    coordinator = signed_in(limited, ADMIN_EMAIL, ADMIN_PASSWORD)
    mine = book(coordinator, make_session(coordinator)["id"])
    for _ in range(25):
        assert limited.get(f"/api/v1/bookings/{mine['code']}", params={"token": mine["manage_token"]}).is_success
    for _ in range(20):
        guess = limited.get(f"/api/v1/bookings/{mine['code']}", params={"token": "x" * 32})
        assert guess.status_code == 404
    _too_many(limited.get(f"/api/v1/bookings/{mine['code']}", params={"token": mine["manage_token"]}))
    _too_many(limited.post(f"/api/v1/bookings/{mine['code']}/cancel", params={"token": "y" * 32}))


def test_sixty_registrations_a_minute_from_one_address_and_no_more(limited: httpx.Client) -> None:
    coordinator = signed_in(limited, ADMIN_EMAIL, ADMIN_PASSWORD)
    session = make_session(coordinator)  # past its capacity, registrations join the waiting list (201)
    for _ in range(60):
        book(coordinator, session["id"])
    _too_many(limited.post(f"/api/v1/sessions/{session['id']}/bookings", json={"locale": "nl"}))


def test_the_booking_pages_count_wrong_links_in_the_same_family_and_answer_with_a_page(limited: httpx.Client) -> None:
    """Guesses spread over the API and the pages share one count; the 429 is a page in the visitor's language."""
    coordinator = signed_in(limited, ADMIN_EMAIL, ADMIN_PASSWORD)
    mine = book(coordinator, make_session(coordinator)["id"])
    for _ in range(5):  # opening one's own booking page is not counted
        assert limited.get(f"/b/{mine['code']}", params={"token": mine["manage_token"]}).status_code == 200
    for n in range(20):
        where = f"/b/{mine['code']}" if n % 2 else f"/api/v1/bookings/{mine['code']}"
        assert limited.get(where, params={"token": "x" * 32}).status_code == 404
    page = limited.get(f"/b/{mine['code']}", params={"token": mine["manage_token"], "lang": "ar"})
    assert page.status_code == 429 and int(page.headers["Retry-After"]) > 0
    assert page.headers["content-type"].startswith("text/html")
    assert 'lang="ar" dir="rtl"' in page.text and translate("ar", "Please wait a moment") in page.text
