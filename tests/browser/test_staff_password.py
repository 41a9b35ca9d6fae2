"""A staff member changes their own password on a phone: found in the navigation, a wrong current
password said beside its field, the change confirmed, and the new password signs in.

axe-core checks the page as it opens, with the error and with the confirmation; it fits 360 px and
names nothing sensitive; photographed for the README at phone width.
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
from tests.support.factories import PASSWORD, make_user
from tests.support.system import System

NEW = "three words together"


def test_a_provider_staff_member_changes_their_password_on_a_phone(system: System, open_context: Any) -> None:
    scheduler = system.services["scheduler"].url
    api = system.client("scheduler")
    someone = make_user(api, "provider_staff", display_name="Sara Jansen")
    phone = open_context(locale="en-GB").new_page()
    phone.goto(f"{scheduler}/staff/sign-in")
    sign_in(phone, someone["email"], PASSWORD)

    phone.get_by_role("navigation", name="Staff pages").get_by_role("link", name="Password").click()
    phone.wait_for_url(re.compile(r"/staff/password$"))
    assert phone.inner_text("h1") == "Change your password"
    check_staff_page(phone)

    phone.fill("#current_password", "not my password")
    phone.fill("#new_password", NEW)
    phone.fill("#repeat_password", NEW)
    phone.get_by_role("button", name="Change the password").click()
    assert text_of(phone, "#current_password-error") == "This is not your current password."
    assert phone.get_attribute("#current_password", "aria-invalid") == "true"
    assert phone.input_value("#current_password") == "" and phone.input_value("#new_password") == ""
    check_staff_page(phone)
    screenshot(phone, "staff-password-wrong", widths=(360,))

    phone.fill("#current_password", PASSWORD)
    phone.fill("#new_password", NEW)
    phone.fill("#repeat_password", NEW)
    phone.get_by_role("button", name="Change the password").click()
    assert text_of(phone, "#password-changed").startswith("Your password is changed.")
    check_staff_page(phone)
    screenshot(phone, "staff-password", widths=(360,))

    phone.get_by_role("button", name="Sign out").click()
    phone.wait_for_url(re.compile(r"/staff/sign-in"))
    sign_in(phone, someone["email"], NEW)
    assert phone.get_by_role("link", name="Password").count() == 1
