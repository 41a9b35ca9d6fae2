"""The registration challenge in Chromium: while a session is flooded, the vendored ALTCHA widget does
the phone's work and the registration goes through; nothing is asked of any other site.

The scheduler here asks for a challenge after 2 registrations for one session in an hour
(``BRUG_ALTCHA_FLOOD_PER_HOUR``), at the default work per try. The browser context of the
conftest fails the test on any request outside the services and on any Content-Security-Policy
violation; these tests also record every request the page and its worker make.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from shared.i18n import translate
from shared.natsserver import NatsServer
from tests.browser.helpers import check_accessible, check_discreet, check_fits, text_of
from tests.support.factories import book, make_session
from tests.support.system import System

CODE = re.compile(r"^[A-Z2-9]{4}-[A-Z2-9]{4}$")
FLOOD = 2
#: reports a violation even where Chromium's console wording changes; added through DevTools, so CSP allows it.
WATCH_CSP = (
    "document.addEventListener('securitypolicyviolation', e =>"
    " console.error('securitypolicyviolation ' + e.violatedDirective + ' ' + e.blockedURI));"
)
NO_JS = "Right now, registering needs a moment of your phone's work. Turn on JavaScript, or ask the person who gave you the link."


@pytest.fixture(scope="module")
def system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[System]:
    """The whole system on SQLite with the challenge on after two registrations (the tests' default: off)."""
    root = tmp_path_factory.mktemp("system")
    nats = NatsServer(root / "nats", log_file=root / "nats.log").start()
    running = System(
        root=root,
        nats=nats,
        database_urls={name: f"sqlite:///{root / (name + '.db')}" for name in ("scheduler", "notifier", "feedback")},
        extra_env={"BRUG_ALTCHA_FLOOD_PER_HOUR": str(FLOOD)},
    )
    try:
        yield running.start()
    finally:
        running.stop()
        nats.stop()


def _flooded_session(system: System) -> dict[str, Any]:
    scheduler = system.client("scheduler")
    session = make_session(scheduler)
    for _ in range(FLOOD):
        book(scheduler, session["id"])
    return session


def test_the_widget_solves_the_challenge_in_arabic_and_the_registration_goes_through(
    system: System, open_context: Any
) -> None:
    session = _flooded_session(system)
    base = system.services["scheduler"].url
    context = open_context(locale="ar-SY")
    context.add_init_script(WATCH_CSP)
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    complaints: list[str] = []
    page.on("console", lambda message: complaints.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: complaints.append(str(error)))

    page.goto(f"{base}/s/{session['id']}")
    assert page.get_attribute("html", "dir") == "rtl"
    page.locator("altcha-widget").wait_for(state="attached")
    assert page.evaluate("() => !!customElements.get('altcha-widget')"), "the widget's script ran"
    assert translate(
        "ar", "Many people are registering right now. When you tap Register, your phone will work for a moment first."
    ) in page.inner_text("#challenge")
    check_discreet(page)
    check_accessible(page)
    check_fits(page, 320)

    page.fill("#nickname", "Amal")
    with page.expect_response(lambda r: r.request.method == "POST" and f"/s/{session['id']}" in r.url) as sent:
        page.locator("form button[type=submit]").click()
    assert sent.value.status == 303  # to the booking page
    posted = sent.value.request.post_data or ""
    assert "altcha=" in posted, "the widget put its solution in the form"

    code = text_of(page, "#booking-code")
    assert CODE.match(code), code
    assert page.get_attribute("html", "dir") == "rtl"
    assert any(url.endswith(f"/api/v1/sessions/{session['id']}/challenge") for url in requests)
    assert any("/static/altcha-pbkdf2.js" in url for url in requests), "the work ran in the vendored worker"
    assert all(url.startswith((base, "data:")) for url in requests), [u for u in requests if not u.startswith(base)]
    assert not complaints, f"the page complained: {complaints}"
    assert (
        system.scalar(
            "scheduler", "SELECT count(*) FROM registration_challenge_spent WHERE session_id = :s", s=session["id"]
        )
        == 1
    )


def test_without_javascript_the_page_says_what_is_needed_in_the_visitors_language(
    system: System, open_context: Any
) -> None:
    session = _flooded_session(system)
    page = open_context(locale="fa-AF", java_script_enabled=False).new_page()
    page.goto(f"{system.services['scheduler'].url}/s/{session['id']}")
    assert page.get_attribute("html", "lang") == "fa-AF"
    assert page.get_attribute("html", "dir") == "rtl"
    assert translate("fa-AF", NO_JS) in page.inner_text("#challenge")
    check_discreet(page)
    check_fits(page, 320)

    page.fill("#nickname", "Amal")
    with page.expect_response(lambda r: r.request.method == "POST") as sent:
        page.locator("form button[type=submit]").click()
    assert sent.value.status == 428
    assert page.input_value("#nickname") == "Amal"
    notice = page.inner_text("#challenge-not-sent")
    assert notice == translate(
        "fa-AF", "Your registration was not sent yet. Please tap Register again and wait a moment."
    )
    assert translate("fa-AF", NO_JS) in page.inner_text("#challenge")
    check_discreet(page)
