"""An attendee registers through the shared link, keeps the code, manages the booking by its secret link."""

from __future__ import annotations

import html
import re
from typing import Any

import httpx
import pytest

from shared.discretion import sensitive_words_in
from shared.i18n import SUPPORTED, translate
from shared.tls import client_context
from shared.topics import TOPICS
from tests.browser.helpers import INTERNAL_TITLE, check_accessible, check_discreet, check_fits, screenshot, text_of
from tests.support.factories import book, make_session
from tests.support.page_source import indiscretions
from tests.support.servers import wait_until
from tests.support.system import System

CODE = re.compile(r"^[A-Z2-9]{4}-[A-Z2-9]{4}$")


def _session(system: System, **overrides: Any) -> dict[str, Any]:
    return make_session(system.client("scheduler"), **overrides)


def _url(system: System, path: str) -> str:
    return system.services["scheduler"].url + path


def test_an_attendee_registers_in_arabic_and_sees_the_booking_code(system: System, open_context: Any) -> None:
    session = _session(system)
    page = open_context(locale="ar-SY").new_page()
    page.goto(_url(system, f"/s/{session['id']}"))  # the browser asks for Arabic; no ?lang= needed

    assert page.get_attribute("html", "lang") == "ar"
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.title() == "Thursday afternoon meeting"
    check_discreet(page)
    check_accessible(page)
    screenshot(page, "session-ar", widths=(360,))
    check_fits(page, 320)

    page.fill("#nickname", "Amal")
    page.fill("#phone", "06 12345678")
    page.locator("input[name=channels][value=sms]").check()
    page.locator("form button[type=submit]").click()

    code = text_of(page, "#booking-code")
    assert CODE.match(code), code
    assert page.get_attribute("html", "dir") == "rtl"
    manage = page.get_attribute("#manage-link", "href")
    assert manage is not None and f"/b/{code}?token=" in manage
    check_fits(page, 320)
    check_discreet(page)
    check_accessible(page)
    # the notifier texts the code, in Arabic, to the number given
    [sms] = wait_until(
        lambda: [m for m in system.sms() if code in m["body"]], timeout=45, message="the confirmation SMS"
    )
    assert sms["to"] == "+31612345678"


#: a stand-in for a phone's share sheet (Android's; desktop Chromium has none): records what it was handed.
SHARE_SHEET = """
Object.defineProperty(navigator, "share", {value: function (data) {
  (window.sharedWith = window.sharedWith || []).push(data); return Promise.resolve(); }});
Object.defineProperty(navigator, "canShare", {value: function () { return true; }});
"""


def _register_in(page: Any, system: System, session_id: str) -> tuple[str, str]:
    """Register on the session page; the booking code and the personal link the page then shows."""
    page.goto(_url(system, f"/s/{session_id}"))
    page.locator("form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/b/[A-Z2-9]{4}-[A-Z2-9]{4}\?token="))
    manage = page.get_attribute("#manage-link", "href")
    assert manage is not None and manage.endswith(page.url.split("/b/", 1)[1])
    return text_of(page, "#booking-code"), manage


def test_after_registering_the_booking_page_asks_once_to_keep_the_link(system: System, open_context: Any) -> None:
    """The registration's answer is a redirect to the booking page, which shows the code and, this once,
    the step to keep the link: a big button that copies it (a browser without a share sheet) or hands
    the bare link, nothing about the meeting, to the phone's share sheet. A reload shows the booking."""
    session = _session(system)
    context = open_context(locale="fa-IR")  # Persian: right to left
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    code, manage = _register_in(page, system, session["id"])
    assert page.get_attribute("html", "dir") == "rtl"
    step = page.locator("#keep-link")
    assert step.is_visible() and translate("fa", "Keep this link") in step.inner_text()
    assert "Thursday" not in step.inner_text()  # nothing of the meeting in the step
    copy = page.locator("#copy-link")
    assert copy.is_visible() and not page.locator("#share-link").is_visible()
    box = copy.bounding_box()
    assert box is not None and box["height"] >= 60 and box["width"] >= 280  # big: the card's whole width
    check_discreet(page)
    check_accessible(page)
    check_fits(page)
    screenshot(page, "keep-link-fa", widths=(360,))
    check_fits(page, 320)
    copy.click()
    copy.filter(has_text=translate("fa", "Copied")).wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == manage

    page.reload()
    assert text_of(page, "#booking-code") == code and page.locator("#keep-link").count() == 0
    assert system.client("scheduler").get(f"/api/v1/sessions/{session['id']}").json()["confirmed"] == 1

    sharing = open_context(locale="en-GB")
    sharing.add_init_script(SHARE_SHEET)
    phone = sharing.new_page()
    _, link = _register_in(phone, system, session["id"])
    assert not phone.locator("#copy-link").is_visible()
    phone.get_by_role("button", name="Save or send my link").click()
    assert phone.evaluate("window.sharedWith") == [{"url": link}]  # the link alone: no title, no text
    check_accessible(phone)
    screenshot(phone, "keep-link")


def test_the_registration_form_says_what_to_fix_and_keeps_what_was_typed(system: System, context: Any) -> None:
    session = _session(system)
    page = context.new_page()
    page.goto(_url(system, f"/s/{session['id']}?lang=en"))
    screenshot(page, "session")
    page.fill("#nickname", "Sara")
    page.fill("#phone", "12")
    page.locator("input[name=channels][value=email]").check()
    page.locator("form button[type=submit]").click()

    assert "does not look right" in text_of(page, "#phone-error")
    assert "write your e-mail address" in text_of(page, "#email-error")
    assert page.get_attribute("#phone", "aria-invalid") == "true"
    assert page.input_value("#nickname") == "Sara"
    assert page.locator("input[name=channels][value=email]").is_checked()
    check_accessible(page)
    assert system.client("scheduler").get(f"/api/v1/sessions/{session['id']}").json()["confirmed"] == 0


def test_a_booking_is_managed_and_cancelled_through_its_secret_link(system: System, context: Any) -> None:
    session = _session(system)
    page = context.new_page()
    page.goto(_url(system, f"/s/{session['id']}"))
    page.locator("input[name=channels][value=sms]").check()
    page.fill("#phone", "+31 6 11112222")
    page.locator("form button[type=submit]").click()
    code = text_of(page, "#booking-code")
    manage = page.get_attribute("#manage-link", "href")
    assert manage is not None

    page.goto(manage)
    assert text_of(page, "#booking-code") == code
    assert "You have a place" in page.inner_text("main")
    invite = page.locator("a[href*='/api/v1/invites/']").get_attribute("href")
    assert invite is not None and invite.startswith(system.services["notifier"].url)
    calendar = wait_until(
        lambda: (r := httpx.get(invite, timeout=10, verify=client_context())).status_code == 200 and r,
        message="the notifier's invite",
    )
    assert calendar.headers["content-type"].startswith("text/calendar") and code in calendar.text
    check_discreet(page)
    check_accessible(page)
    screenshot(page, "booking")

    page.get_by_role("link", name="Cancel my place").click()
    assert "Do you want to cancel your place?" in page.inner_text("h1")
    check_accessible(page)
    screenshot(page, "cancel", widths=(360,))
    page.get_by_role("button", name="Yes, cancel my place").click()
    assert page.inner_text("h1") == "Your place is cancelled"
    assert page.title() == "Thursday afternoon meeting"
    check_accessible(page)

    page.goto(manage)
    assert "Cancelled" in page.inner_text("main")
    assert page.get_by_role("link", name="Cancel my place").count() == 0
    token = manage.split("token=")[1]
    shown = httpx.get(
        _url(system, f"/api/v1/bookings/{code}"), params={"token": token}, timeout=10, verify=client_context()
    ).json()
    assert shown["status"] == "cancelled"


def test_the_language_switcher_keeps_the_page_and_its_secret_link(system: System, context: Any) -> None:
    session = _session(system)
    booking = book(system.client("scheduler"), session["id"], locale="en")
    page = context.new_page()
    page.goto(_url(system, f"/b/{booking['code']}?token={booking['manage_token']}"))
    page.locator("details.langs summary").click()
    page.get_by_role("link", name="Français").click()
    assert page.get_attribute("html", "lang") == "fr"
    assert page.get_attribute("html", "dir") == "ltr"
    assert text_of(page, "#booking-code") == booking["code"]
    assert f"token={booking['manage_token']}" in page.url
    # the choice is remembered on the next page without ?lang=
    page.goto(_url(system, f"/s/{session['id']}"))
    assert page.get_attribute("html", "lang") == "fr"


def test_registration_works_with_the_keyboard_alone(system: System, context: Any) -> None:
    session = _session(system)
    page = context.new_page()
    page.goto(_url(system, f"/s/{session['id']}"))

    def tab_to(selector: str) -> None:
        for _ in range(60):
            page.keyboard.press("Tab")
            if page.evaluate("s => document.activeElement === document.querySelector(s)", selector):
                return
        raise AssertionError(f"Tab never reached {selector}")

    tab_to("#nickname")
    page.keyboard.type("Noor")
    tab_to("input[name=channels][value=sms]")
    page.keyboard.press("Space")
    tab_to("#phone")
    page.keyboard.type("0687654321")
    tab_to("form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector("#booking-code")
    assert CODE.match(text_of(page, "#booking-code"))


def test_registration_works_without_javascript(system: System, open_context: Any) -> None:
    session = _session(system)
    page = open_context(locale="nl-NL", java_script_enabled=False).new_page()
    page.goto(_url(system, f"/s/{session['id']}"))
    assert page.get_attribute("html", "lang") == "nl"
    assert page.get_attribute("#quick-exit", "href") == "https://www.google.com/search?q=weather"
    page.fill("#nickname", "Hiwet")
    page.locator("form button[type=submit]").click()
    code = text_of(page, "#booking-code")
    assert CODE.match(code)
    # the step to keep the link, without its buttons (they need the script): the link and what to do with it
    assert page.locator("#keep-link").is_visible() and page.locator("#manage-link").is_visible()
    assert page.locator("#keep-hint").is_visible()
    assert not page.locator("#share-link").is_visible() and not page.locator("#copy-link").is_visible()
    # the answer was a redirect: a reload asks for the booking page again, no form is sent, no second seat
    page.reload()
    assert text_of(page, "#booking-code") == code
    assert system.client("scheduler").get(f"/api/v1/sessions/{session['id']}").json()["confirmed"] == 1


def test_the_quick_exit_leaves_and_replaces_the_page_in_the_history(system: System, context: Any) -> None:
    session = _session(system)
    page = context.new_page()
    page.goto("about:blank")
    page.goto(_url(system, f"/s/{session['id']}"))
    page.click("#quick-exit")
    page.wait_for_url("https://www.google.com/**")
    page.go_back()
    assert page.url == "about:blank"  # Back does not bring the session page back


def test_no_page_in_any_language_names_the_topic_or_the_internal_title(system: System) -> None:
    """The session page and a booking's pages in all 15 locales, what they show and their source (the
    browser flows check the rest)."""
    session = _session(system)
    booking = book(system.client("scheduler"), session["id"], locale="en")
    secret = f"/b/{booking['code']}?token={booking['manage_token']}"
    for locale in SUPPORTED:
        for path in (
            f"/s/{session['id']}?",
            f"{secret}&",
            f"/b/{booking['code']}/cancel?token={booking['manage_token']}&",
        ):
            shown = httpx.get(_url(system, f"{path}lang={locale}"), timeout=10, verify=client_context())
            assert shown.status_code == 200 and f'<html lang="{locale}"' in shown.text
            assert "<title>Thursday afternoon meeting</title>" in shown.text
            text = html.unescape(re.sub(r"<[^>]+>", " ", shown.text))
            assert sensitive_words_in(text) == [], (locale, path, sensitive_words_in(text))
            assert INTERNAL_TITLE not in text and not any(topic in text for topic in TOPICS)
            assert indiscretions(shown.text) == [], (locale, path, "its source", indiscretions(shown.text))


def test_pages_send_strict_security_headers_and_refuse_forms_without_a_token(system: System) -> None:
    session = _session(system)
    url = _url(system, f"/s/{session['id']}")
    shown = httpx.get(url, timeout=10, verify=client_context())
    csp = shown.headers["content-security-policy"]
    assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
    assert shown.headers["referrer-policy"] == "no-referrer"
    assert shown.headers["x-content-type-options"] == "nosniff"
    assert shown.headers["cache-control"] == "no-store"
    assert "<script>" not in shown.text and " style=" not in shown.text
    cookie = shown.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie
    token = re.search(r'name="csrf" value="([^"]+)"', shown.text)
    assert token is not None

    with httpx.Client(cookies=shown.cookies, timeout=10, verify=client_context()) as same_browser:
        without_token = same_browser.post(url, data={"nickname": "x"})
        forged = same_browser.post(url, data={"csrf": "A" * 43})
        from_elsewhere = same_browser.post(
            url,
            data={"csrf": token.group(1)},
            headers={"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
        )
    other_browser = httpx.post(url, data={"csrf": token.group(1)}, timeout=10, verify=client_context())
    for refused in (without_token, forged, other_browser, from_elsewhere):
        assert refused.status_code == 403
        assert "try again" in refused.text
    assert system.client("scheduler").get(f"/api/v1/sessions/{session['id']}").json()["confirmed"] == 0
    with httpx.Client(cookies=shown.cookies, timeout=10, verify=client_context()) as same_browser:
        accepted = same_browser.post(url, data={"csrf": token.group(1)})
    assert accepted.status_code == 303 and accepted.headers["location"].startswith("/b/")

    static = httpx.get(_url(system, "/static/brug.css"), timeout=10, verify=client_context())
    assert static.status_code == 200 and static.headers["x-content-type-options"] == "nosniff"


def test_a_wrong_secret_link_gets_a_kind_page_that_says_nothing_about_the_booking(system: System, context: Any) -> None:
    session = _session(system)
    booking = book(system.client("scheduler"), session["id"], locale="en")
    page = context.new_page()
    response = page.goto(_url(system, f"/b/{booking['code']}?token={'x' * 32}"))
    assert response is not None and response.status == 404
    assert "We cannot find this booking" in page.inner_text("h1")
    assert "Thursday" not in page.inner_text("body")
    check_accessible(page)


def _register(url: str, **fields: str) -> httpx.Response:
    """Fill in the form as a browser without JavaScript would: GET it, then POST it with its cookie (and
    follow the redirect to the booking page)."""
    with httpx.Client(timeout=10, verify=client_context(), follow_redirects=True) as browser:
        form = browser.get(url)
        token = re.search(r'name="csrf" value="([^"]+)"', form.text)
        assert token is not None, form.text[:500]
        return browser.post(url, data={"csrf": token.group(1), **fields})


def test_a_full_session_offers_the_waiting_list_and_a_closed_one_takes_no_one(system: System) -> None:
    session = _session(system, capacity=1)
    url = _url(system, f"/s/{session['id']}?lang=en")
    assert "Places left: 1" in httpx.get(url, timeout=10, verify=client_context()).text
    book(system.client("scheduler"), session["id"], locale="en")
    assert "You can join the waiting list" in httpx.get(url, timeout=10, verify=client_context()).text
    waiting = _register(url, nickname="Dawit")
    assert [r.status_code for r in waiting.history] == [303] and waiting.status_code == 200
    assert "You are on the waiting list" in waiting.text and "Number 1 on the waiting list" in waiting.text

    cancelled = system.client("scheduler").post(
        f"/api/v1/sessions/{session['id']}/cancel", json={"reason_code": "illness"}
    )
    assert cancelled.status_code == 200, cancelled.text
    closed = httpx.get(url, timeout=10, verify=client_context())
    assert "This meeting takes no more registrations" in closed.text and "<form" not in closed.text
    refused = _register(_url(system, f"/s/{_session(system)['id']}"), phone="12")
    assert refused.status_code == 422 and "does not look right" in refused.text
    assert httpx.get(_url(system, "/s/no-such-session"), timeout=10, verify=client_context()).status_code == 404


def test_a_form_sent_twice_books_once_and_a_changed_one_books_anew(system: System) -> None:
    """The form's idempotency key: a double tap or a reload keeps one seat; changed answers are a new booking."""
    url = _url(system, f"/s/{_session(system)['id']}?lang=en")
    with httpx.Client(timeout=10, verify=client_context()) as browser:
        form = browser.get(url).text
        fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
        assert set(fields) == {"csrf", "idempotency_key"}
        first, again = (browser.post(url, data={**fields, "nickname": "Lina"}) for _ in range(2))
        changed = browser.post(url, data={**fields, "nickname": "Lina M."})
    codes = [r.headers["location"].split("?")[0] for r in (first, again, changed)]  # /b/<code>
    assert codes[0] == codes[1] != codes[2]


#: the main text's node → the fonts Chromium drew it with and how many glyphs each (DevTools' CSS domain)
def _fonts_of(page: Any, selector: str) -> dict[str, int]:
    devtools = page.context.new_cdp_session(page)
    devtools.send("DOM.enable")
    devtools.send("CSS.enable")
    root = devtools.send("DOM.getDocument")["root"]["nodeId"]
    node = devtools.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = devtools.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    return {font["familyName"]: font["glyphCount"] for font in fonts}


@pytest.mark.parametrize(
    ("locale", "direction", "font"), [("ckb", "rtl", "Noto Sans Arabic"), ("am", "ltr", "Noto Sans Ethiopic")]
)
def test_sorani_reads_right_to_left_in_an_arabic_script_font_and_amharic_in_an_ethiopic_one(
    system: System, open_context: Any, locale: str, direction: str, font: str
) -> None:
    """The browser asks for Sorani (``ckb-IQ``) or Amharic (``am-ET``): the page is in it, laid out in its
    direction, and its sentences are drawn with the script's Noto font (fonts-noto-core), not a fallback."""
    session = _session(system)
    page = open_context(locale=f"{locale}-{'IQ' if locale == 'ckb' else 'ET'}").new_page()
    page.goto(_url(system, f"/s/{session['id']}"))
    assert (page.get_attribute("html", "lang"), page.get_attribute("html", "dir")) == (locale, direction)
    assert page.locator("form button[type=submit]").inner_text().strip() == translate(locale, "Register")
    drawn = _fonts_of(page, ".lead")
    assert max(drawn, key=lambda family: drawn[family]) == font, drawn
    check_discreet(page)
    check_accessible(page)
    check_fits(page, 320)
