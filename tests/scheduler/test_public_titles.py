"""A public title per language: the page and the events carry the attendee's (shared.titles).

Before: sessions had one ``public_title``, so every language's page (and SMS)
showed it: a Dutch or English title on the Arabic and Tigrinya pages alike.
"""

from __future__ import annotations

import html
from typing import Any

import httpx
import pytest

from shared.titles import title_for
from tests.scheduler.conftest import Events
from tests.support.factories import make_session

ARABIC = "لقاء الخميس"
TITLES = {"public_title": "Donderdagmiddag", "public_titles": {"ar": ARABIC}, "languages": ["ar", "nl"]}


def _title_on_page(client: httpx.Client, session_id: str, locale: str) -> str:
    page = client.get(f"/s/{session_id}?lang={locale}")
    assert page.status_code == 200
    shown = html.unescape(page.text)
    return shown.split("<title>", 1)[1].split("</title>", 1)[0]


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("ar", ARABIC), ("nl", "Donderdagmiddag"), ("ti", ARABIC), ("en", ARABIC)],
)
def test_the_page_shows_the_title_in_the_visitors_language_else_the_first_languages(
    scheduler: httpx.Client, locale: str, expected: str
) -> None:
    session = make_session(scheduler, **TITLES)
    assert expected in _title_on_page(scheduler, session["id"], locale)


def test_the_answers_and_the_published_event_carry_the_titles(scheduler: httpx.Client, events: Events) -> None:
    session = make_session(scheduler, **TITLES)
    assert session["public_titles"] == {"ar": ARABIC}
    assert scheduler.get(f"/api/v1/sessions/{session['id']}").json()["public_titles"] == {"ar": ARABIC}
    [published] = [e for e in events("scheduling.session.published") if e["session_id"] == session["id"]]
    assert (published["public_title"], published["public_titles"]) == ("Donderdagmiddag", {"ar": ARABIC})


def test_a_session_without_titles_per_language_reads_as_before(scheduler: httpx.Client, events: Events) -> None:
    session = make_session(scheduler, public_title="Donderdagmiddag")
    assert session["public_titles"] == {}
    assert "Donderdagmiddag" in _title_on_page(scheduler, session["id"], "ti")
    [published] = [e for e in events("scheduling.session.published") if e["session_id"] == session["id"]]
    assert published["public_titles"] is None


def _refused(response: httpx.Response) -> list[dict[str, Any]]:
    assert response.status_code == 422, response.text
    return response.json()["detail"]  # type: ignore[no-any-return]


def test_a_title_that_names_the_topic_is_refused_naming_its_language(scheduler: httpx.Client) -> None:
    body = {**_body(scheduler), "public_titles": {"nl": "Rape support"}}
    [error] = _refused(scheduler.post("/api/v1/sessions", json=body))
    assert error["loc"] == ["body", "public_titles", "nl"]
    assert "Rape" not in error["msg"]


@pytest.mark.parametrize(
    ("titles", "named"),
    [({"ti": "ሰሉስ"}, "public_titles.ti"), ({"xx": "Meeting"}, "public_titles.xx"), ({"ar": ""}, None)],
)
def test_a_title_for_another_language_or_an_empty_one_is_refused(
    scheduler: httpx.Client, titles: dict[str, str], named: str | None
) -> None:
    [error] = _refused(scheduler.post("/api/v1/sessions", json={**_body(scheduler), "public_titles": titles}))
    if named is None:
        assert error["loc"] == ["body", "public_titles", "ar"]
    else:
        assert error["loc"] == ["body", "public_titles"] and named in error["msg"]


def _body(client: httpx.Client) -> dict[str, Any]:
    """A valid session's body (the one make_session posts), for a variation to be refused."""
    session = make_session(client, **TITLES)
    fields = ("venue_id", "room_id", "languages", "internal_title", "public_title", "capacity", "provider_id")
    return {name: session[name] for name in fields} | {"starts_at": session["starts_at"], "ends_at": session["ends_at"]}


def test_a_patch_changes_the_titles_and_publishes_the_session_again(scheduler: httpx.Client, events: Events) -> None:
    session = make_session(scheduler, **TITLES)
    changed = scheduler.patch(f"/api/v1/sessions/{session['id']}", json={"public_titles": {"nl": "Donderdag"}})
    assert changed.status_code == 200, changed.text
    assert changed.json()["public_titles"] == {"nl": "Donderdag"}
    assert "Donderdag" in _title_on_page(scheduler, session["id"], "nl")
    assert "Donderdagmiddag" in _title_on_page(scheduler, session["id"], "ar")
    published = [e for e in events("scheduling.session.published") if e["session_id"] == session["id"]]
    assert [e["public_titles"] for e in published] == [{"ar": ARABIC}, {"nl": "Donderdag"}]


def test_a_patch_refuses_a_title_the_session_has_no_language_for(scheduler: httpx.Client) -> None:
    session = make_session(scheduler, **TITLES)
    url = f"/api/v1/sessions/{session['id']}"
    refused = scheduler.patch(url, json={"public_titles": {"fa": "جلسه"}})
    assert refused.status_code == 422 and refused.json()["error"] == "TitleNotInLanguages"
    assert "public_titles.fa" in refused.json()["detail"]
    dropped = scheduler.patch(url, json={"languages": ["nl"]})  # would leave the Arabic title without its language
    assert dropped.status_code == 422 and "public_titles.ar" in dropped.json()["detail"]
    [error] = _refused(scheduler.patch(url, json={"public_titles": {"ar": "Rape support"}}))
    assert error["loc"] == ["body", "public_titles", "ar"]
    assert scheduler.patch(url, json={"languages": ["nl", "ar"], "public_titles": {}}).status_code == 200


def test_title_for_picks_the_readers_then_the_first_languages_then_the_default() -> None:
    titles = {"ar": ARABIC, "fa-AF": "دیدار"}
    assert title_for("ar-SY", "Donderdagmiddag", titles, ["ar", "fa-AF", "nl"]) == ARABIC
    assert title_for("fa-AF", "Donderdagmiddag", titles, ["ar", "fa-AF", "nl"]) == "دیدار"
    assert title_for("nl", "Donderdagmiddag", titles, ["ar", "fa-AF", "nl"]) == "Donderdagmiddag"
    assert title_for("so", "Donderdagmiddag", titles, ["ar", "fa-AF", "nl"]) == ARABIC
    assert title_for("so", "Donderdagmiddag", titles, ["nl", "ar"]) == "Donderdagmiddag"
    assert title_for(None, "Donderdagmiddag", None, []) == "Donderdagmiddag"
