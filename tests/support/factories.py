"""Small factories for the scheduler's API: a venue, a session, a booking."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

__all__ = ["make_venue", "make_session", "book"]


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
    venue = venue or make_venue(client)
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
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
        "provider_id": "ggd-amsterdam",
        **overrides,
    }
    response = client.post("/api/v1/sessions", json=body)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def book(client: httpx.Client, session_id: str, **overrides: Any) -> dict[str, Any]:
    response = client.post(f"/api/v1/sessions/{session_id}/bookings", json={"locale": "ar", **overrides})
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]
