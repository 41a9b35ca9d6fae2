"""Small factories for the scheduler's API: sign-in, a provider, a user, a venue, a session, a booking."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

__all__ = [
    "sign_in",
    "signed_in",
    "make_provider",
    "make_user",
    "make_venue",
    "make_session",
    "book",
    "log_hours",
    "PASSWORD",
    "restart_slots",
]

#: each session made without a time gets its own slot, three hours after the last, so none clash.
_SLOTS = itertools.count()


def restart_slots() -> None:
    """Start the slots again three days ahead: each test file has databases of its own, so its sessions
    need only miss each other, and its times then do not depend on how many sessions the files before it
    in the same worker made (after a few hundred they ran past the two years a session may be planned
    ahead of a test's fixed clock)."""
    global _SLOTS
    _SLOTS = itertools.count()


#: the password every user made by make_user gets.
PASSWORD = "a long enough password"


def sign_in(client: httpx.Client, email: str, password: str) -> str:
    """An access token through the OAuth2 password flow."""
    response = client.post("/api/v1/auth/token", data={"username": email, "password": password})
    assert response.status_code == 200, response.text
    return response.json()["access_token"]  # type: ignore[no-any-return]


def signed_in(client: httpx.Client, email: str, password: str = PASSWORD) -> httpx.Client:
    """``client``, from now on sending a token for ``email``."""
    client.headers["Authorization"] = f"Bearer {sign_in(client, email, password)}"
    return client


def make_provider(client: httpx.Client, **overrides: Any) -> dict[str, Any]:
    body = {
        "name": f"GGD Amsterdam {uuid.uuid4().hex[:6]}",
        "contact": "seksuele-gezondheid@ggd.example.org",
        "languages": ["nl", "en", "ar"],
        **overrides,
    }
    response = client.post("/api/v1/providers", json=body)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def make_user(client: httpx.Client, role: str = "ambassador", **overrides: Any) -> dict[str, Any]:
    """A user made by the coordinator ``client``; signs in with ``PASSWORD``."""
    body: dict[str, Any] = {
        "email": f"{role}-{uuid.uuid4().hex[:8]}@example.org",
        "display_name": f"Test {role}",
        "role": role,
        "password": PASSWORD,
        **({"languages": ["ar", "nl"]} if role == "ambassador" else {}),
        **overrides,
    }
    if role == "provider_staff" and "provider_id" not in body:
        body["provider_id"] = make_provider(client)["id"]
    response = client.post("/api/v1/users", json=body)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def make_venue(client: httpx.Client, **overrides: Any) -> dict[str, Any]:
    body = {
        "name": "Centrum Seksueel Geweld Amsterdam",
        "public_name": "Keizersgracht 12",
        "kind": "sexual_violence_centre",
        "address": "Keizersgracht 12, 1015 CS Amsterdam",
        "city": "Amsterdam",
        "rooms": [{"name": "Room 2", "capacity": 20}],
        **overrides,
    }
    response = client.post("/api/v1/venues", json=body)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def make_session(client: httpx.Client, venue: dict[str, Any] | None = None, **overrides: Any) -> dict[str, Any]:
    """A session made by ``client`` (a coordinator unless told); a new provider unless one is named.

    Without a time it gets a slot no other session made here has, so sessions sharing a venue or an
    ambassador never clash."""
    venue = venue or make_venue(client)
    starts = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=3, hours=3 * next(_SLOTS))
    body = {
        "venue_id": venue["id"],
        "room_id": venue["rooms"][0]["id"],
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=2)).isoformat(),
        "languages": ["ar", "nl"],
        "audience": "women",
        "topics": ["where_to_find_help"],
        "internal_title": "Sexual violence: where to find help",
        "public_title": "Thursday afternoon meeting",
        "capacity": 10,
        **overrides,
    }
    if "provider_id" not in body:
        body["provider_id"] = make_provider(client)["id"]
    response = client.post("/api/v1/sessions", json=body)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def book(client: httpx.Client, session_id: str, **overrides: Any) -> dict[str, Any]:
    response = client.post(f"/api/v1/sessions/{session_id}/bookings", json={"locale": "ar", **overrides})
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def log_hours(client: httpx.Client, **body: Any) -> dict[str, Any]:
    """An hours entry logged by ``client``: one hour of unpaid admin work unless told (session work has no date)."""
    defaults: dict[str, Any] = {} if body.get("kind") == "session" else {"kind": "admin", "date": "2026-05-04"}
    response = client.post("/api/v1/hours", json={"hours": 1, **defaults, **body})
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]
