"""Finding sessions: staff search by language, city, dates, audience and topic; the public listing."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.support.clock import EARLY_2025, set_clock
from tests.support.factories import make_session, make_venue
from tests.support.servers import ThreadedServer


@pytest.fixture
def scheduler(scheduler: httpx.Client, scheduler_server: ThreadedServer) -> httpx.Client:
    """The coordinator's client, on a scheduler whose clock is set before the fixed dates these tests plan on
    (tests/support/clock.py)."""
    set_clock(scheduler_server.app, EARLY_2025)
    return scheduler


def _ids(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [s["id"] for s in response.json()]


def _at(day: str) -> dict[str, str]:
    return {"starts_at": f"{day}T14:00:00+01:00", "ends_at": f"{day}T16:00:00+01:00"}


def test_staff_search_by_language_city_dates_audience_and_topic(scheduler: httpx.Client) -> None:
    amsterdam, utrecht = make_venue(scheduler), make_venue(scheduler, city="Utrecht")
    dari = make_session(scheduler, amsterdam, languages=["fa-AF"], audience="women", **_at("2026-12-01"))
    arabic = make_session(
        scheduler, amsterdam, languages=["ar", "nl"], audience="men", topics=["health_system"], **_at("2026-12-08")
    )
    tigrinya = make_session(scheduler, utrecht, languages=["ti"], audience="youth", **_at("2026-12-15"))

    def search(**params: str) -> list[str]:
        return _ids(scheduler.get("/api/v1/sessions", params=params))

    assert search() == [dari["id"], arabic["id"], tigrinya["id"]]
    assert search(language="ar") == [arabic["id"]]
    assert search(language="fa") == [dari["id"]]  # a language finds its regional variants
    assert search(language="fa-AF") == [dari["id"]]
    assert search(city="utrecht") == [tigrinya["id"]]
    assert search(**{"from": "2026-12-08"}) == [arabic["id"], tigrinya["id"]]
    assert search(to="2026-12-08") == [dari["id"], arabic["id"]]  # a date includes its whole day
    assert search(**{"from": "2026-12-08T14:00:00+01:00", "to": "2026-12-08T14:00:01+01:00"}) == [arabic["id"]]
    assert search(audience="youth") == [tigrinya["id"]]
    assert search(topic="health_system") == [arabic["id"]]
    assert search(topic="where_to_find_help") == [dari["id"], tigrinya["id"]]
    assert search(city="Amsterdam", audience="women", language="fa-AF") == [dari["id"]]
    assert search(language="so") == []


BAD_SEARCHES: list[tuple[dict[str, str], str | None, str]] = [
    ({"language": "arabic"}, "language", "is not a BCP 47 language code"),
    ({"topic": "violence"}, "topic", "is not a topic of the catalogue"),
    ({"audience": "everyone"}, "audience", "'open', 'women', 'men', 'lgbtqi', 'youth' or 'parents'"),
    ({"from": "next week"}, "from", "valid"),
    ({"from": "2026-12-08", "to": "2026-12-01"}, None, "to must be after from"),
    ({"from": "0001-01-01"}, "from", "give a date from 1900 to 2099"),  # found by make fuzz: a 500
    ({"to": "9999-12-31"}, "to", "give a date from 1900 to 2099"),
    ({"from": "0001-01-01T10:00:00+01:00"}, "from", "give a date from 1900 to 2099"),
    ({"limit": "0"}, "limit", "greater than or equal to 1"),
    ({"langauge": "ar"}, "langauge", "Extra inputs are not permitted"),
]


def test_a_bad_search_is_refused_naming_the_parameter(scheduler: httpx.Client) -> None:
    for params, field, reason in BAD_SEARCHES:
        for path in ("/api/v1/sessions", "/api/v1/public/sessions"):
            if path.endswith("public/sessions") and field in ("topic", "audience"):
                continue  # not offered publicly; checked below
            response = scheduler.get(path, params=params)
            assert response.status_code == 422, (path, params, response.text)
            error = response.json()["detail"][0]
            assert error["loc"][0] == "query" and (field is None or error["loc"][1] == field), (params, error)
            assert reason in error["msg"], (params, error)


def test_the_public_listing_needs_no_account_and_shows_only_public_upcoming_sessions(
    scheduler: httpx.Client, scheduler_server: ThreadedServer
) -> None:
    venue = make_venue(scheduler)
    listed = make_session(scheduler, venue, public=True, languages=["so"])
    make_session(scheduler, venue)  # not public: shared by its link only
    called_off = make_session(scheduler, venue, public=True)
    scheduler.post(f"/api/v1/sessions/{called_off['id']}/cancel", json={"reason_code": "illness"})
    make_session(
        scheduler, venue, public=True, starts_at="2025-01-02T10:00:00+01:00", ends_at="2025-01-02T12:00:00+01:00"
    )
    with scheduler_server.client() as anonymous:
        response = anonymous.get("/api/v1/public/sessions")
        assert _ids(response) == [listed["id"]]
        assert _ids(anonymous.get("/api/v1/public/sessions", params={"language": "so", "city": "amsterdam"})) == [
            listed["id"]
        ]
        assert _ids(anonymous.get("/api/v1/public/sessions", params={"language": "ar"})) == []
    [entry] = response.json()
    assert entry == {
        "id": listed["id"],
        "public_title": "Thursday afternoon meeting",
        "public_titles": {},
        "starts_at": listed["starts_at"],
        "ends_at": listed["ends_at"],
        "timezone": "Europe/Amsterdam",
        "languages": ["so"],
        "place": {
            "venue_public_name": "Keizersgracht 12",
            "city": "Amsterdam",
            "neighbourhood": None,
            "address": "Keizersgracht 12, 1015 CS Amsterdam",
            "address_released_at": None,
        },
        "booking_url": listed["booking_url"],
    }


def test_the_public_listing_never_tells_the_topic_audience_or_provider(
    scheduler: httpx.Client, scheduler_server: ThreadedServer
) -> None:
    session: dict[str, Any] = make_session(
        scheduler, public=True, audience="lgbtqi", topics=["identity_in_a_new_country", "sexual_health"]
    )
    with scheduler_server.client() as anonymous:
        text = anonymous.get("/api/v1/public/sessions").text
        refused = anonymous.get("/api/v1/public/sessions", params={"audience": "lgbtqi"})
    assert session["id"] in text
    for secret in ("Sexual violence", "Centrum Seksueel Geweld", "lgbtqi", "identity", "sexual_health"):
        assert secret not in text
    assert session["provider_id"] not in text
    assert refused.status_code == 422  # no filter that would tell what it matched
