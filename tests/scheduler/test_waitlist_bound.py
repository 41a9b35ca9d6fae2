"""Issue 16, item 2: one client filled every seat and 57 waitlist places; the waitlist is bounded now."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest

from scheduler.app import create_app
from scheduler.settings import SchedulerSettings
from shared.natsserver import NatsServer
from tests.scheduler.conftest import Events
from tests.support.config import ADMIN_EMAIL, ADMIN_PASSWORD, Keys, scheduler_settings
from tests.support.factories import make_session, signed_in
from tests.support.servers import ThreadedServer

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@pytest.fixture
def served(nats: NatsServer, database_url: str, keys: Keys) -> Iterator[ThreadedServer]:
    with ThreadedServer(create_app(scheduler_settings(nats.url, database_url, keys, waitlist_max=2))) as server:
        yield server


@pytest.fixture
def coordinator(served: ThreadedServer) -> Iterator[httpx.Client]:
    with served.client() as client:
        yield signed_in(client, ADMIN_EMAIL, ADMIN_PASSWORD)


def test_a_full_waitlist_refuses_with_409_and_takes_nothing(coordinator: httpx.Client, events: Events) -> None:
    """Before: every registration was taken (201), the waitlist grew without end (57 places from one
    client). After, with BRUG_WAITLIST_MAX=2: one seat, two waiting, then 409 WaitlistFull; no event."""
    session = make_session(coordinator, capacity=1)
    url = f"/api/v1/sessions/{session['id']}/bookings"
    answers = [coordinator.post(url, json={"locale": "nl"}) for _ in range(4)]
    assert [a.status_code for a in answers] == [201, 201, 201, 409]
    assert [a.json().get("status") for a in answers[:3]] == ["confirmed", "waitlisted", "waitlisted"]
    assert answers[3].json()["error"] == "WaitlistFull"
    assert "waiting list" in answers[3].json()["detail"]
    assert len(events("scheduling.booking.waitlisted")) == 2
    listed = coordinator.get(f"/api/v1/sessions/{session['id']}").json()
    assert (listed["confirmed"], listed["waitlisted"]) == (1, 2)


def test_a_cancelled_place_makes_room_on_the_waitlist_again(coordinator: httpx.Client) -> None:
    session = make_session(coordinator, capacity=1)
    url = f"/api/v1/sessions/{session['id']}/bookings"
    first = [coordinator.post(url, json={"locale": "nl"}).json() for _ in range(3)]
    assert coordinator.post(url, json={"locale": "nl"}).status_code == 409
    cancel = coordinator.post(f"/api/v1/bookings/{first[2]['code']}/cancel?token={first[2]['manage_token']}")
    assert cancel.status_code == 200
    assert coordinator.post(url, json={"locale": "nl"}).json()["status"] == "waitlisted"


def test_the_registration_page_says_so_in_the_pages_language(coordinator: httpx.Client, served: ThreadedServer) -> None:
    """Before: the page put a fourth person on the waitlist. After: 409 and a page in Arabic saying
    the meeting takes no more registrations."""
    session = make_session(coordinator, capacity=1)
    for _ in range(3):
        assert coordinator.post(f"/api/v1/sessions/{session['id']}/bookings", json={"locale": "ar"}).status_code == 201
    with served.client() as visitor:
        page = visitor.get(f"/s/{session['id']}?lang=ar")
        csrf = CSRF.search(page.text)
        assert csrf is not None
        answer = visitor.post(f"/s/{session['id']}?lang=ar", data={"csrf": csrf.group(1), "idempotency_key": "k-1"})
    assert answer.status_code == 409
    assert "لم يعد هذا اللقاء يقبل التسجيل" in answer.text  # "This meeting takes no more registrations"


def test_the_default_bound_is_a_setting() -> None:
    assert SchedulerSettings.model_fields["waitlist_max"].default == 100
