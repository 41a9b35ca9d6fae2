"""``/staff?view=week|month``: one week or month of sessions as cards, filtered by city, language,
ambassador and provider, paged by twenty; an ambassador's filters never reach past their own sessions."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.scheduler.staff_pages.pages import browser, sign_in
from tests.support.config import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.support.factories import make_provider, make_session, make_user, make_venue
from tests.support.servers import ThreadedServer

TITLES = re.compile(r'<li class="card session-card">.*?<a href="/staff/sessions/[^"]+">([^<]+)</a>', re.S)


def _at(day: str, hour: int = 10) -> dict[str, str]:
    starts = datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)
    return {"starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=1)).isoformat()}


def _titles(client: httpx.Client, **params: Any) -> list[str]:
    page = client.get("/staff", params=params)
    assert page.status_code == 200, page.text[:500]
    return TITLES.findall(page.text)


@pytest.fixture(scope="module")
def coordinator(server: ThreadedServer) -> Any:
    with browser(server) as client:
        assert sign_in(client, ADMIN_EMAIL, ADMIN_PASSWORD).status_code == 303
        yield client


def test_a_week_and_a_month_filtered_by_city_language_ambassador_and_provider(
    server: ThreadedServer, api: httpx.Client, coordinator: httpx.Client
) -> None:
    tag = uuid.uuid4().hex[:6]
    here, there = make_venue(api, city=f"Zwolle {tag}"), make_venue(api, city=f"Almere {tag}")
    first, second = make_user(api, display_name=f"Amal {tag}"), make_user(api, display_name=f"Yonas {tag}")
    one, other = make_provider(api), make_provider(api)
    make_session(
        api, here, **_at("2026-03-03"), languages=["ar"], ambassador_ids=[first["id"]], provider_id=one["id"],
        public_title=f"Tea A {tag}", internal_title="Internal A",
    )  # fmt: skip
    make_session(
        api, there, **_at("2026-03-04"), languages=["ti"], ambassador_ids=[second["id"]], provider_id=other["id"],
        public_title=f"Tea B {tag}",
    )  # fmt: skip
    make_session(api, here, **_at("2026-03-10"), languages=["ar"], provider_id=one["id"], public_title=f"Tea C {tag}")

    week = {"view": "week", "at": "2026-03-04"}
    assert _titles(coordinator, **week, city=here["city"]) == [f"Tea A {tag}"]
    assert _titles(coordinator, **week, city=there["city"]) == [f"Tea B {tag}"]
    assert f"Tea B {tag}" in _titles(coordinator, **week, language="ti")
    assert f"Tea A {tag}" not in _titles(coordinator, **week, language="ti")
    assert _titles(coordinator, **week, ambassador=second["id"]) == [f"Tea B {tag}"]
    assert _titles(coordinator, **week, provider=one["id"]) == [f"Tea A {tag}"]
    assert _titles(coordinator, view="month", at="2026-03-20", city=here["city"]) == [f"Tea A {tag}", f"Tea C {tag}"]

    page = coordinator.get("/staff", params={**week, "city": here["city"]}).text
    card = page[page.index('class="card session-card"') :]
    assert card.index("2026") < card.index(f"Tea A {tag}") < card.index("Internal A")  # time, public title, then fold
    assert '<details class="staff-title">' in card
    assert f'href="/staff?city=Zwolle+{tag}&amp;view=week&amp;at=2026-03-09"' in page  # next week keeps the filter
    assert f'<option value="{first["id"]}"' in page and f'<option value="{one["id"]}"' in page

    with browser(server) as mine:
        assert sign_in(mine, first["email"]).status_code == 303
        assert _titles(mine, **week) == [f"Tea A {tag}"]
        assert _titles(mine, **week, ambassador=second["id"]) == [f"Tea A {tag}"]  # their own reach holds
        assert f'<option value="{second["id"]}"' not in mine.get("/staff", params=week).text
    assert coordinator.get("/staff", params={**week, "language": "not a code!"}).status_code == 422


def test_a_month_is_paged_by_twenty(api: httpx.Client, coordinator: httpx.Client) -> None:
    venue = make_venue(api, city=f"Delft {uuid.uuid4().hex[:6]}")
    provider = make_provider(api)
    for day in range(1, 22):
        make_session(api, venue, **_at(f"2026-04-{day:02d}"), provider_id=provider["id"], public_title=f"Day {day}")
    month = {"view": "month", "at": "2026-04-01", "city": venue["city"]}
    first = coordinator.get("/staff", params=month)
    assert TITLES.findall(first.text) == [f"Day {day}" for day in range(1, 21)]
    assert 'rel="next"' in first.text and 'rel="prev"' not in first.text
    second = coordinator.get("/staff", params={**month, "page": 2})
    assert TITLES.findall(second.text) == ["Day 21"]
    assert 'rel="prev"' in second.text and 'rel="next"' not in second.text
    assert TITLES.findall(coordinator.get("/staff", params={**month, "page": 3}).text) == []
