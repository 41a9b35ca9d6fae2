"""A forgotten password, on phones: a coordinator makes a reset link on the users page; the person opens
it without signing in, is told beside the field when the new password is too short, sets it, and signs
in with it; the link opened again says it was used and what to do.

axe-core checks each page as it opens (the link shown to the coordinator, the form, its error, the
confirmation, the used link); each fits 360 px and names nothing sensitive; the link's page names no
account. Photographed at phone width.
"""

from __future__ import annotations

import re
from typing import Any

from tests.browser.helpers import (
    check_staff_page,
    screenshot,
    sign_in,
    text_of,
)
from tests.support.config import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.support.factories import PASSWORD, make_user
from tests.support.system import System

NEW = "three words together"


def test_a_coordinator_makes_a_reset_link_and_the_person_sets_a_new_password(system: System, open_context: Any) -> None:
    scheduler = system.services["scheduler"].url
    someone = make_user(system.client("scheduler"), display_name="Sara Jansen")
    coordinator = open_context(locale="en-GB").new_page()
    coordinator.goto(f"{scheduler}/staff/sign-in")
    sign_in(coordinator, ADMIN_EMAIL, ADMIN_PASSWORD)
    coordinator.get_by_role("navigation", name="Staff pages").get_by_role("link", name="Users").click()
    card = coordinator.locator(".account-card", has_text="Sara Jansen")
    card.get_by_text("Forgotten password").click()
    card.get_by_role("button", name="Make a reset link for Sara Jansen").click()
    assert coordinator.inner_text("h1") == "A link to set a new password"
    link = coordinator.input_value("#reset-link")
    assert link.startswith(f"{scheduler}/staff/reset/")
    check_staff_page(coordinator)
    screenshot(coordinator, "staff-reset-link", widths=(360,))

    phone = open_context(locale="en-GB").new_page()
    phone.goto(link)
    assert phone.inner_text("h1") == "Choose a new password"
    assert someone["email"] not in phone.content() and "Sara" not in phone.content()
    check_staff_page(phone)
    phone.fill("#new_password", "too short")
    phone.fill("#repeat_password", "too short")
    phone.get_by_role("button", name="Set the new password").click()
    assert text_of(phone, "#new_password-error").startswith("The new password needs at least 12 characters")
    assert phone.get_attribute("#new_password", "aria-invalid") == "true"
    check_staff_page(phone)
    phone.fill("#new_password", NEW)
    phone.fill("#repeat_password", NEW)
    phone.get_by_role("button", name="Set the new password").click()
    phone.wait_for_url(re.compile(r"/staff/reset-done$"))
    assert phone.inner_text("h1") == "Your new password is set"
    check_staff_page(phone)
    screenshot(phone, "staff-reset-done", widths=(360,))

    phone.goto(link)
    assert phone.inner_text("h1") == "This link has been used already"
    assert "Ask a coordinator for a new link." in text_of(phone, "#message-text")
    check_staff_page(phone)
    screenshot(phone, "staff-reset-used", widths=(360,))
    phone.get_by_role("link", name="To the sign-in page").click()
    phone.wait_for_url(re.compile(r"/staff/sign-in"))
    phone.fill("#email", someone["email"])
    phone.fill("#password", PASSWORD)
    phone.get_by_role("button", name="Sign in").click()
    assert "not right" in phone.inner_text("main")
    sign_in(phone, someone["email"], NEW)
    assert phone.get_by_role("link", name="Password").count() == 1
