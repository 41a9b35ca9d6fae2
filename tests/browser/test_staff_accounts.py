"""A coordinator, on a phone, adds a provider and then the people who work with Brug: the bar leads to
every page they run the programme from, a missing answer is said beside its field, and the new
accounts appear as cards with no word broken across lines. An ambassador made there signs in and
sees only their own pages in the bar.

axe-core checks each page as it opens, with an error and with the confirmation; each fits 360 px and
names nothing sensitive; the users and providers pages are photographed at phone width.
"""

from __future__ import annotations

import re
from typing import Any

from tests.browser.helpers import (
    check_accessible,
    check_fits,
    check_staff_page,
    screenshot,
    sign_in,
    text_of,
)
from tests.support.config import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.support.system import System

FIRST_PASSWORD = "a first pass phrase"
COORDINATOR_BAR = [
    "Sessions",
    "New session",
    "Venues",
    "Hours",
    "Users",
    "Providers",
    "Feedback reports",
    "Messages",
    "Audit log",
    "Erasure",
    "Events given up on",
    "Password",
]
AMBASSADOR_BAR = ["Sessions", "New session", "Venues", "Hours", "Password"]

#: words of the cards that the browser laid out across two lines (a word broken mid-word; a line may
#: end after a hyphen, as in print)
_BROKEN_WORDS = """() => {
  const broken = [];
  for (const card of document.querySelectorAll(".account-card")) {
    const walker = document.createTreeWalker(card, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.data.matchAll(/[^\\s-]+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
        if (lines.size > 1) broken.push(match[0]);
      }
    }
  }
  return broken;
}"""


def _bar(page: Any) -> Any:
    return page.get_by_role("navigation", name="Staff pages")


def _check(page: Any) -> None:
    check_staff_page(page)
    assert page.evaluate(_BROKEN_WORDS) == []


def test_a_coordinator_adds_a_provider_and_people_on_a_phone(system: System, open_context: Any) -> None:
    scheduler, feedback = system.services["scheduler"].url, system.services["feedback"].url
    phone = open_context(locale="en-GB").new_page()
    phone.goto(f"{scheduler}/staff/sign-in")
    sign_in(phone, ADMIN_EMAIL, ADMIN_PASSWORD)
    assert [text_of(phone, f".staff-nav a >> nth={i}") for i in range(len(COORDINATOR_BAR))] == COORDINATOR_BAR
    assert _bar(phone).get_by_role("link").count() == len(COORDINATOR_BAR)
    reports = _bar(phone).get_by_role("link", name="Feedback reports")
    assert reports.get_attribute("href") == f"{feedback}/staff/reports"

    _bar(phone).get_by_role("link", name="Providers").click()
    phone.wait_for_url(re.compile(r"/staff/providers$"))
    assert phone.get_attribute(".staff-nav a[aria-current=page]", "href") == "/staff/providers"
    _check(phone)
    phone.fill("#name", "GGD Utrecht")
    phone.fill("#contact", "balie@ggd-utrecht.example.org")
    for code in ("nl", "en", "ar"):  # checkboxes, each language named in its own script
        phone.check(f"#language-{code}")
    phone.get_by_role("button", name="Add the provider").click()
    assert text_of(phone, "#provider-done").startswith("The provider is added.")
    card = phone.locator(".account-card", has_text="GGD Utrecht")
    assert "No staff accounts yet." in card.inner_text()
    _check(phone)
    screenshot(phone, "staff-providers", widths=(360,))

    _bar(phone).get_by_role("link", name="Users").click()
    phone.wait_for_url(re.compile(r"/staff/users$"))
    _check(phone)
    phone.fill("#display_name", "Noor van Dijk")
    phone.fill("#email", "noor.vandijk@ggd-utrecht.example.org")
    phone.get_by_label("Provider staff", exact=True).check()
    phone.fill("#password", FIRST_PASSWORD)
    phone.get_by_role("button", name="Add the person").click()
    assert text_of(phone, "#provider_id-error") == "Provider staff work for a provider: choose it."
    assert phone.get_attribute("#provider_id", "aria-invalid") == "true"
    assert phone.input_value("#password") == "" and phone.input_value("#display_name") == "Noor van Dijk"
    _check(phone)
    phone.select_option("#provider_id", label="GGD Utrecht")
    phone.fill("#password", FIRST_PASSWORD)
    phone.get_by_role("button", name="Add the person").click()
    assert text_of(phone, "#user-done").startswith("The account is made.")
    assert "Provider staff: GGD Utrecht" in phone.locator(".account-card", has_text="Noor van Dijk").inner_text()

    phone.fill("#display_name", "Amal Haddad")
    phone.fill("#email", "amal.haddad@example.org")
    phone.get_by_label("Ambassador", exact=True).check()
    phone.get_by_label("العربية").check()
    phone.check("#language-nl")
    phone.fill("#password", FIRST_PASSWORD)
    phone.get_by_role("button", name="Add the person").click()
    assert text_of(phone, "#user-done").startswith("The account is made.")
    assert "Languages: Dutch and Arabic" in phone.locator(".account-card", has_text="Amal Haddad").inner_text()
    _check(phone)
    screenshot(phone, "staff-users", widths=(360,))

    _bar(phone).get_by_role("link", name="Providers").click()
    assert "Staff: Noor van Dijk" in phone.locator(".account-card", has_text="GGD Utrecht").inner_text()

    amal = open_context(locale="en-GB").new_page()
    amal.goto(f"{scheduler}/staff/sign-in")
    sign_in(amal, "amal.haddad@example.org", FIRST_PASSWORD)
    assert [text_of(amal, f".staff-nav a >> nth={i}") for i in range(len(AMBASSADOR_BAR))] == AMBASSADOR_BAR
    assert _bar(amal).get_by_role("link").count() == len(AMBASSADOR_BAR)
    amal.goto(f"{scheduler}/staff/users")
    assert amal.inner_text("h1") == "This is not yours to open"
    assert _bar(amal).get_by_role("link", name="Users").count() == 0
    check_accessible(amal)
    check_fits(amal, 360)
