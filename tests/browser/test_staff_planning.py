"""An ambassador on a phone (360 px) plans a session by ticking its languages, named in their own
script, and choosing who it is for and when registration closes; then calls it off: the confirmation
shows the message attendees will get, in the session's languages, and asks for a reason and a tick.
Then a fortnightly series of the same session, its dates reported before saving.

axe-core checks each page; each fits 360 px; the session's pages name nothing sensitive (the plan form
itself lists the topics to choose from, so it is not one of them). Photographed for the guide.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tests.browser.helpers import check_accessible, check_discreet, check_fits, screenshot, text_of
from tests.support.factories import PASSWORD, make_user, make_venue
from tests.support.system import System

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def test_an_ambassador_plans_with_the_language_boxes_calls_the_session_off_and_plans_a_series(
    system: System, open_context: Any
) -> None:
    scheduler = system.services["scheduler"].url
    api = system.client("scheduler")
    ambassador = make_user(api, display_name="Selam Tesfaye")
    venue = make_venue(api, name="Buurthuis Oost", kind="community_centre", public_name="Dapperstraat 5")
    day = (datetime.now(AMSTERDAM) + timedelta(days=6)).date()

    phone = open_context(locale="en-GB", has_touch=True).new_page()
    phone.goto(f"{scheduler}/staff/sign-in?next=%2Fstaff%2Fsessions%2Fnew")
    phone.fill("#email", ambassador["email"])
    phone.fill("#password", PASSWORD)
    phone.get_by_role("button", name="Sign in").click()
    phone.wait_for_url(re.compile(r"/staff/sessions/new$"))

    # the languages are named in their own script; a save without one ticked keeps the rest as typed
    assert phone.locator("label:has(#language-ti) span[lang=ti]").inner_text() == "ትግርኛ"
    assert phone.locator("label:has(#language-ar) span[lang=ar]").get_attribute("dir") == "rtl"
    phone.select_option("#room_id", venue["rooms"][0]["id"])
    phone.fill("#day", day.isoformat())
    phone.fill("#starts", "15:00")
    phone.fill("#ends", "17:00")
    phone.fill("#capacity", "8")
    phone.select_option("#booking_cutoff", "240")
    phone.fill("#internal_title", "Tigrinya and Arabic newcomers")
    phone.fill("#public_title", "Wednesday tea")
    phone.check("#audience-youth")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Save the session").click()
    assert text_of(phone, "#languages-error") == "Tick one or more languages."
    assert phone.is_checked("#audience-youth") and phone.input_value("#public_title") == "Wednesday tea"
    check_accessible(phone)
    check_fits(phone, 360)

    phone.check("#language-ti")
    phone.check("#language-ar")
    check_fits(phone, 360)
    screenshot(phone, "staff-plan-languages", widths=(360,))
    with phone.expect_navigation():
        phone.get_by_role("button", name="Save the session").click()
    assert text_of(phone, "#door-result").startswith("The session is saved")
    session_id = phone.url.split("/")[-1].split("?")[0]
    stored = api.get(f"/api/v1/sessions/{session_id}").json()
    assert (stored["languages"], stored["audience"], stored["booking_cutoff_minutes"]) == (["ar", "ti"], "youth", 240)
    check_discreet(phone)

    # calling off: the reason is for staff; the page shows what attendees are told, in their languages
    phone.get_by_role("link", name="Call off the session").click()
    phone.wait_for_url(re.compile(r"/cancel$"))
    told = phone.locator("#told li")
    assert told.count() == 2
    assert told.nth(0).get_attribute("lang") == "ar" and told.nth(0).get_attribute("dir") == "rtl"
    assert "Wednesday tea" in told.nth(0).inner_text() and "Wednesday tea" in told.nth(1).inner_text()
    assert told.nth(1).get_attribute("lang") == "ti"
    check_accessible(phone)
    check_fits(phone, 360)
    check_discreet(phone)
    screenshot(phone, "staff-call-off", widths=(360,))
    phone.check("#reason-facilitator_unavailable")
    phone.get_by_role("button", name="Call off the session").click()
    assert phone.evaluate("() => document.querySelector('#confirm-cancel').matches(':invalid')")
    assert api.get(f"/api/v1/sessions/{session_id}").json()["status"] == "published"  # nothing was sent
    phone.check("#confirm-cancel")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Call off the session").click()
    assert text_of(phone, "#door-result") == "The session is called off. Everyone who booked is told."
    stored = api.get(f"/api/v1/sessions/{session_id}").json()
    assert (stored["status"], stored["cancel_reason"]) == ("cancelled", "facilitator_unavailable")
    assert phone.get_by_role("link", name="Call off the session").count() == 0
    check_accessible(phone)
    check_fits(phone, 360)
    check_discreet(phone)

    # a series from the plan form: the dates reported one by one before anything is saved
    phone.goto(f"{scheduler}/staff/sessions/new")
    phone.get_by_role("link", name="Plan it for several dates: a weekly or monthly series").click()
    phone.select_option("#room_id", venue["rooms"][0]["id"])
    phone.fill("#day", day.isoformat())
    phone.fill("#starts", "15:00")
    phone.fill("#ends", "17:00")
    phone.fill("#capacity", "8")
    phone.fill("#internal_title", "Tigrinya newcomers, weekly")
    phone.fill("#public_title", "Wednesday tea")
    phone.check("#language-ti")
    phone.check("#repeat-fortnightly")
    phone.fill("#count", "3")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Check the dates").click()
    assert text_of(phone, "#report-heading") == "3 of 3 dates can be planned"
    check_accessible(phone)
    check_fits(phone, 360)
    screenshot(phone, "staff-series-report", widths=(360,))
    with phone.expect_navigation():
        phone.get_by_role("button", name="Save the 3 free dates").click()
    assert text_of(phone, "#door-result").startswith("The series is saved: 3 sessions.")
