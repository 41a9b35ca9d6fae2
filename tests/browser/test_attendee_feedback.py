"""An attendee answers the feedback form from a card; a used card gets a kind page, not an error."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from feedback.tokens.minting import derive_link, derive_token
from shared.tls import client_context
from tests.browser.helpers import check_accessible, check_discreet, screenshot
from tests.support.clock import until_started
from tests.support.factories import make_session
from tests.support.servers import wait_until
from tests.support.system import System


@pytest.fixture(scope="module")
def completed(system: System) -> dict[str, Any]:
    """A session that took place (four people came), whose feedback cards exist."""
    scheduler = system.client("scheduler")
    session = make_session(scheduler)
    assert scheduler.post(f"/api/v1/sessions/{session['id']}/check-ins", json={"walk_ins": 4}).status_code == 200
    until_started(system.clock, session)
    assert scheduler.post(f"/api/v1/sessions/{session['id']}/complete").status_code == 200
    first = _url(system, f"/f/{derive_token(system.keys.token_secret, session['id'], 0)}")
    wait_until(
        lambda: httpx.get(first, timeout=10, verify=client_context()).status_code == 200, message="the feedback cards"
    )
    return session


def _url(system: System, path: str) -> str:
    return system.services["feedback"].url + path


def _card(system: System, session: dict[str, Any], index: int) -> str:
    return derive_token(system.keys.token_secret, session["id"], index)


def test_a_card_opens_the_form_and_answers_once(system: System, completed: dict[str, Any], context: Any) -> None:
    page = context.new_page()
    form_url = _url(system, f"/f/{_card(system, completed, 0)}")
    page.goto(form_url)
    assert page.title() == "Thursday afternoon meeting"
    assert page.locator(".scale").first.locator("input[type=radio]").count() == 5
    check_discreet(page)
    check_accessible(page)
    screenshot(page, "feedback")

    page.get_by_role("radio", name="Very good").first.check()
    page.locator("fieldset", has_text="feel safe").get_by_role("radio", name="Yes").check()
    page.locator("input[name=topics_next]").first.check()
    page.fill("#comment", "Good meeting, call me on 0612345678")
    page.get_by_role("button", name="Send my answers").click()
    assert page.inner_text("h1") == "Thank you"
    check_accessible(page)

    page.goto(form_url)  # the same card again
    assert page.inner_text("h1") == "Thank you, you answered already"
    assert "used already" in page.inner_text("main")
    check_accessible(page)
    screenshot(page, "feedback-used", widths=(360,))
    system.mix_feedback(completed["id"])  # the window closes: answers leave the mixing pool
    stored = system.scalar("feedback", "SELECT answers FROM feedback_response")
    assert '"useful": 5' in stored and '"felt_safe": true' in stored


def test_a_typed_code_opens_its_form_in_any_case_and_spacing(
    system: System, completed: dict[str, Any], open_context: Any
) -> None:
    page = open_context(locale="ti").new_page()
    page.goto(_url(system, "/f"))
    assert page.get_attribute("html", "lang") == "ti"
    check_accessible(page)
    screenshot(page, "feedback-code", widths=(360,))
    card = _card(system, completed, 1)
    typed = " ".join(card[i : i + 4] for i in range(0, len(card), 4)).lower()
    page.fill("#code", typed)
    page.locator("form button[type=submit]").click()
    assert page.title() == "Thursday afternoon meeting"
    assert page.locator(".scale").count() >= 1
    assert page.get_attribute("html", "lang") == "ti"


def test_the_form_works_without_javascript_and_an_unknown_code_is_said_kindly(
    system: System, completed: dict[str, Any], open_context: Any
) -> None:
    page = open_context(locale="fa-AF", java_script_enabled=False).new_page()
    page.goto(_url(system, f"/f/{_card(system, completed, 2)}"))
    assert page.get_attribute("html", "dir") == "rtl"
    page.locator(".scale").first.locator("label").nth(3).click()
    page.locator("form button[type=submit]").click()
    assert page.locator("section.thanks").count() == 1

    response = page.goto(_url(system, "/f/NOSUCHCODE2345"))
    assert response is not None and response.status == 404
    assert page.get_attribute("a.button", "href") == "/f"


def test_a_personal_link_answers_once(system: System, completed: dict[str, Any], context: Any) -> None:
    page = context.new_page()
    link = _url(system, f"/f/{derive_link(system.keys.token_secret, completed['id'], 0)}")
    page.goto(link)
    page.get_by_role("button", name="Send my answers").click()
    assert page.inner_text("h1") == "Thank you"
    page.goto(link)  # again, or from another phone: a personal link answers once
    assert page.inner_text("h1") == "Thank you, you answered already"
