"""Registering through the session page: a 303 to the booking page, which shows the "keep this link"
step once; reloading it books nothing more. (The browser test, tests/browser/test_attendee_booking.py,
taps the step's buttons.)"""

from __future__ import annotations

import re

import httpx

from scheduler.pages.keeping import JUST_BOOKED
from tests.scheduler.staff_pages.pages import browser, csrf_of, text_of
from tests.support.factories import make_session
from tests.support.page_source import indiscretions
from tests.support.servers import ThreadedServer


def test_registering_redirects_to_the_booking_page_whose_keep_link_step_shows_once(
    server: ThreadedServer, api: httpx.Client
) -> None:
    """Before: the POST answered 201 with the booking in its body, and reloading that page asked to send
    the form again. After: a 303 to the booking's secret link; its first load shows the code and the step
    to keep the link (in the form's language), a reload shows the booking alone, and one seat is taken."""
    session = make_session(api, capacity=5)
    with browser(server) as visitor:
        form = visitor.get(f"/s/{session['id']}?lang=ar")
        fields = {"csrf": csrf_of(form), "idempotency_key": "keep-1", "nickname": "Amal"}
        answer = visitor.post(f"/s/{session['id']}?lang=ar", data=fields)
        assert answer.status_code == 303, answer.text
        target = answer.headers["location"]
        code = target.removeprefix("/b/").split("?")[0]
        assert target.startswith(f"/b/{code}?token=") and answer.text == ""
        assert f"{JUST_BOOKED}={code}" in answer.headers["set-cookie"]
        assert f"Path=/b/{code}" in answer.headers["set-cookie"]
        # the same form sent again (Back, then Register): the same booking, no second seat
        assert visitor.post(f"/s/{session['id']}?lang=ar", data=fields).headers["location"] == target

        first = visitor.get(target)
        assert first.status_code == 200
        assert '<html lang="ar" dir="rtl">' in first.text
        assert text_of(first, "booking-code") == code
        assert 'id="keep-link"' in first.text and 'data-share="manage-link"' in first.text
        link = re.search(r'id="manage-link" href="([^"]+)"', first.text)
        assert link is not None and link.group(1).endswith(target)  # the public URL, then the same link
        assert indiscretions(first.text) == []
        reloaded = visitor.get(target)
        again = visitor.get(target)
    for later in (reloaded, again):
        assert later.status_code == 200 and text_of(later, "booking-code") == code
        assert 'id="keep-link"' not in later.text and "/cancel?token=" in later.text
    shown = api.get(f"/api/v1/sessions/{session['id']}").json()
    assert shown["confirmed"] == 1


def test_the_keep_link_step_is_only_for_the_browser_that_registered(server: ThreadedServer, api: httpx.Client) -> None:
    """Someone else opening the link (or the person, later) sees the booking, not the step; and the JSON
    API still answers a registration with 201 and the booking."""
    session = make_session(api)
    booked = api.post(f"/api/v1/sessions/{session['id']}/bookings", json={"locale": "nl"})
    assert booked.status_code == 201 and set(booked.json()) >= {"code", "manage_token", "manage_url"}
    with browser(server) as other:
        opened = other.get(f"/b/{booked.json()['code']}", params={"token": booked.json()["manage_token"]})
    assert opened.status_code == 200 and 'id="keep-link"' not in opened.text
