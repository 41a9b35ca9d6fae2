"""The sealed questionnaire in Chromium: answers are sealed in the browser; only the provider can read them.

An attendee answers the feedback form in Persian, follows the thank-you page's link to the
provider's questionnaire and answers it; what the browser sends holds no answer, the service's
database and logs hold none, and the provider's offline command (a real subprocess) opens them.
Without JavaScript the page explains why it needs it and sends nothing.
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest

from feedback.sealed.envelope import SEALED_SIZE
from feedback.tokens.minting import derive_token
from shared.i18n import translate
from shared.sealing import generate_keypair
from shared.tls import client_context
from tests.browser.helpers import check_accessible, check_discreet, screenshot
from tests.support.clock import until_started
from tests.support.factories import make_provider, make_session, make_user, sign_in
from tests.support.servers import wait_until
from tests.support.system import System

SECRET = "همسرم پیام‌هایم را می‌خواند ZX-SEALED-7421"
QUESTIONS = [
    {"id": "felt_heard", "kind": "faces", "text": {"en": "Did you feel heard?", "fa": "آیا به حرف شما گوش دادند؟"}},
    {
        "id": "safe_at_home",
        "kind": "yes_no",
        "text": {"en": "Do you feel safe at home?", "fa": "آیا در خانه احساس امنیت می‌کنید؟"},
    },
    {"id": "note", "kind": "text", "text": {"en": "Anything else you want us to know?"}},
]
#: reports a violation even where Chromium's console wording changes; added through DevTools, so CSP allows it.
WATCH_CSP = (
    "document.addEventListener('securitypolicyviolation', e =>"
    " console.error('securitypolicyviolation ' + e.violatedDirective + ' ' + e.blockedURI));"
)


@pytest.fixture(scope="module")
def provider(system: System, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A provider whose staff registered a questionnaire; its private key stays in a file here."""
    scheduler = system.client("scheduler")
    provider = make_provider(scheduler)
    staff = make_user(scheduler, role="provider_staff", provider_id=provider["id"])
    with httpx.Client(base_url=system.services["scheduler"].url, timeout=10, verify=client_context()) as client:
        token = sign_in(client, staff["email"], "a long enough password")
    private, public = generate_keypair()
    key_file = tmp_path_factory.mktemp("provider") / "sealed.key"
    key_file.write_text(private)
    headers = {"Authorization": f"Bearer {token}"}
    body = {
        "provider_id": provider["id"],
        "title": "A few more questions",
        "public_key": public,
        "questions": QUESTIONS,
    }
    registered = system.client("feedback").post("/api/v1/questionnaires", json=body, headers=headers)
    assert registered.status_code == 201, registered.text
    return {**provider, "questionnaire": registered.json()["id"], "key_file": key_file, "headers": headers}


def _completed_card(system: System, provider_id: str) -> tuple[str, str]:
    """(a session the provider co-ran, its first feedback card), once the feedback service has minted it."""
    scheduler = system.client("scheduler")
    session = make_session(scheduler, provider_id=provider_id)
    assert scheduler.post(f"/api/v1/sessions/{session['id']}/check-ins", json={"walk_ins": 2}).status_code == 200
    until_started(system.clock, session)
    assert scheduler.post(f"/api/v1/sessions/{session['id']}/complete").status_code == 200
    card = derive_token(system.keys.token_secret, session["id"], 0)
    url = f"{system.services['feedback'].url}/f/{card}"
    wait_until(
        lambda: httpx.get(url, timeout=10, verify=client_context()).status_code == 200, message="the feedback cards"
    )
    return session["id"], card


def test_answers_sealed_in_persian_reach_only_the_provider(
    system: System, provider: dict[str, Any], open_context: Any, tmp_path: Path
) -> None:
    session, card = _completed_card(system, provider["id"])
    context = open_context(locale="fa-IR")
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    complaints: list[str] = []
    page.on("console", lambda message: complaints.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: complaints.append(str(error)))

    # from the feedback form's thank-you page to the provider's questionnaire
    page.goto(f"{system.services['feedback'].url}/f/{card}")
    page.locator("form button[type=submit]").click()
    page.locator("#sealed-link").click()
    assert page.get_attribute("html", "lang") == "fa" and page.get_attribute("html", "dir") == "rtl"
    page.locator("#sealed-questions").wait_for(state="visible")  # libsodium is ready: the questions show
    assert page.inner_text("legend >> nth=0") == "آیا به حرف شما گوش دادند؟"
    assert page.get_attribute("label[for=sealed-note]", "lang") == "en"  # given in English only
    check_discreet(page)
    check_accessible(page)

    page.locator("[data-question=felt_heard] label.tile").nth(3).click()
    page.locator("[data-question=safe_at_home] label.no").click()
    screenshot(page, "sealed-questionnaire", widths=(360,))
    page.fill("#sealed-note", SECRET)
    with page.expect_request(lambda r: r.method == "POST" and "/q/" in r.url) as sent:
        page.get_by_role("button", name=translate("fa", "Lock and send my answers")).click()
    page.wait_for_load_state()
    assert page.inner_text("h1") == translate("fa", "Thank you")

    body = sent.value.post_data or ""
    fields = parse_qs(body)
    assert set(fields) == {"csrf", "ciphertext", "key"}, "the browser sent nothing but the envelope"
    assert fields["key"] == [card], "and the card it spends"
    assert len(base64.b64decode(fields["ciphertext"][0])) == SEALED_SIZE
    for answer in ("ZX-SEALED", "felt_heard", "safe_at_home", "همسرم"):
        assert answer not in body and answer not in fields["ciphertext"][0]
    assert not complaints, f"the page complained: {complaints}"

    assert system.mix_feedback(session) == 2  # the window closes: the form's answer and the envelope
    _nothing_readable_stored(system)
    opened = _open_as_the_provider(system, provider, tmp_path)
    assert opened[0] == "submitted_on,felt_heard,note,safe_at_home"
    assert len(opened) == 2 and opened[1].endswith(f",4,{SECRET},False")


def _nothing_readable_stored(system: System) -> None:
    """Neither the feedback database's files (SQLite, with its journal) nor any service's log holds an answer."""
    stored = b"".join(path.read_bytes() for path in system.root.glob("feedback.db*"))
    assert stored, "the feedback database is where the test expects it"
    assert system.scalar("feedback", "SELECT count(*) FROM sealed_answer") == 1
    logs = system.logs()
    for secret in ("ZX-SEALED-7421", "همسرم", 'safe_at_home": false'):
        assert secret.encode() not in stored, f"the database holds {secret!r}"
        assert secret not in logs, f"a log holds {secret!r}"


def _open_as_the_provider(system: System, provider: dict[str, Any], folder: Path) -> list[str]:
    """``python -m feedback open-sealed --key KEYFILE EXPORT``, as the provider runs it on its own computer."""
    url = f"/api/v1/questionnaires/{provider['questionnaire']}/answers"
    export = system.client("feedback").get(url, headers=provider["headers"])
    assert export.status_code == 200, export.text
    (folder / "export.json").write_text(json.dumps(export.json()))
    command = [
        sys.executable,
        "-m",
        "feedback",
        "open-sealed",
        "--key",
        str(provider["key_file"]),
        str(folder / "export.json"),
    ]
    opened = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert opened.returncode == 0, opened.stderr
    return opened.stdout.splitlines()


def test_without_javascript_the_page_says_why_and_sends_nothing(
    system: System, provider: dict[str, Any], open_context: Any
) -> None:
    before = system.scalar("feedback", "SELECT count(*) FROM sealed_answer")
    page = open_context(locale="ar", java_script_enabled=False).new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(f"{request.method} {request.url}"))
    _, card = _completed_card(system, provider["id"])
    page.goto(f"{system.services['feedback'].url}/q/{provider['questionnaire']}?key={card}")
    assert page.get_attribute("html", "dir") == "rtl"
    explanation = page.locator("#sealed-needs-js")
    assert explanation.is_visible()
    assert translate("ar", "This page needs JavaScript.") in explanation.inner_text()
    assert page.locator("#sealed-questions").is_hidden() and page.locator("textarea").is_hidden()
    assert page.locator("#sealed-envelope button").is_disabled()
    screenshot(page, "sealed-questionnaire-no-js", widths=(360,))
    assert [r for r in requests if not r.startswith("GET ")] == [], "nothing is sent without JavaScript"
    assert system.scalar("feedback", "SELECT count(*) FROM sealed_answer") == before
