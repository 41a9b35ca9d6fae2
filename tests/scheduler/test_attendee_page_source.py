"""The HTML source of every attendee page of the scheduler, in every locale, names nothing.

Every attribute value, every link's path and every script of the public session page, a
booking's pages, the public agenda and the pages that say a link or a session is not there go through the
discretion guard (tests/support/page_source.py); the session has topics and an internal title
that must stay inside. Registering through the page is checked in the browser
(tests/browser/test_attendee_booking.py), whose every page gets the same check.
"""

from __future__ import annotations

import re

import httpx

from shared.i18n import SUPPORTED
from tests.support.factories import book, make_session
from tests.support.page_source import INTERNAL_TITLE, indiscretions

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def _pages(scheduler: httpx.Client, session_id: str, booking: dict[str, str], locale: str) -> dict[str, httpx.Response]:
    secret = f"/b/{booking['code']}?token={booking['manage_token']}&lang={locale}"
    confirm = scheduler.get(f"/b/{booking['code']}/cancel?token={booking['manage_token']}&lang={locale}")
    return {
        "session": scheduler.get(f"/s/{session_id}?lang={locale}"),
        "booking": scheduler.get(secret),
        "confirm cancel": confirm,
        "cancelled": scheduler.post(
            f"/b/{booking['code']}/cancel?lang={locale}",
            data={"csrf": CSRF.findall(confirm.text)[0], "token": booking["manage_token"]},
        ),
        "wrong link": scheduler.get(f"/b/{booking['code']}?token={'x' * 32}&lang={locale}"),
        "no session": scheduler.get(f"/s/{'0' * 32}?lang={locale}"),
        "agenda": scheduler.get(f"/agenda?lang={locale}"),
    }


def test_no_attendee_page_in_any_locale_names_a_topic_in_its_source(scheduler: httpx.Client) -> None:
    session = make_session(scheduler, topics=["sexual_health", "where_to_find_help"], capacity=20, public=True)
    assert session["internal_title"] == INTERNAL_TITLE
    found, statuses = {}, set()
    for locale in SUPPORTED:
        booking = book(scheduler, session["id"], locale=locale)
        for name, page in _pages(scheduler, session["id"], booking, locale).items():
            assert f'<html lang="{locale}"' in page.text, (locale, name, page.status_code)
            statuses.add((name, page.status_code))
            if indiscretions(page.text):
                found[f"{locale} {name}"] = indiscretions(page.text)
    assert found == {}
    assert sorted(statuses) == [
        ("agenda", 200),
        ("booking", 200),
        ("cancelled", 200),
        ("confirm cancel", 200),
        ("no session", 404),
        ("session", 200),
        ("wrong link", 404),
    ]
