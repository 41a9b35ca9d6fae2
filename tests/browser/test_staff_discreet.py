"""Discreet staff pages on a phone (360 px): someone beside the ambassador at the door sees the public
title and the time; the internal title, which may name the topic, shows only once "Title for staff"
is tapped. Neither the tab title nor a heading names it. axe-core clean, fits 360 px, photographed
for the README with the title folded away.
"""

from __future__ import annotations

import re
from typing import Any

from tests.browser.helpers import INTERNAL_TITLE, check_accessible, check_fits, screenshot, text_of
from tests.support.factories import PASSWORD, make_session, make_user
from tests.support.system import System


def _folded_then_shown(page: Any, scope: str) -> None:
    """The internal title is not visible until the summary in ``scope`` is tapped, then it is."""
    hidden = page.locator(scope).get_by_text(INTERNAL_TITLE, exact=True)
    assert hidden.count() == 1 and not hidden.is_visible()
    assert INTERNAL_TITLE not in page.title()
    assert INTERNAL_TITLE not in " ".join(page.locator("h1, h2, h3").all_inner_texts())
    assert INTERNAL_TITLE not in page.inner_text("body")  # what the eye can read now
    page.locator(scope).get_by_text("Title for staff", exact=True).tap()
    assert hidden.is_visible()
    assert INTERNAL_TITLE in page.inner_text("body")
    check_accessible(page)
    check_fits(page, 360)


def test_the_internal_title_is_one_tap_away_on_a_phone(system: System, open_context: Any) -> None:
    scheduler = system.services["scheduler"].url
    api = system.client("scheduler")
    ambassador = make_user(api, display_name="Amal Haddad")
    session = make_session(api, ambassador_ids=[ambassador["id"]], public_title="Thursday afternoon meeting")
    assert session["internal_title"] == INTERNAL_TITLE

    phone = open_context(locale="en-GB", has_touch=True).new_page()
    phone.goto(f"{scheduler}/staff/sign-in")
    phone.fill("#email", ambassador["email"])
    phone.fill("#password", PASSWORD)
    phone.get_by_role("button", name="Sign in").click()
    phone.wait_for_url(re.compile(r"/staff(\?|$|/)"))

    # the list: the public title is the link, the internal title folded under it
    row = f"tr:has(a[href='/staff/sessions/{session['id']}'])"
    assert text_of(phone, f"{row} a") == "Thursday afternoon meeting"
    check_accessible(phone)
    check_fits(phone, 360)
    screenshot(phone, "staff-home-discreet", widths=(360,))
    _folded_then_shown(phone, row)

    # the session page: tab title and heading are the public title, then the time
    phone.goto(f"{scheduler}/staff/sessions/{session['id']}")
    assert phone.title().startswith("Thursday afternoon meeting")
    assert phone.inner_text("h1") == "Thursday afternoon meeting"
    check_accessible(phone)
    check_fits(phone, 360)
    screenshot(phone, "staff-session-discreet", widths=(360,))
    _folded_then_shown(phone, "main")
