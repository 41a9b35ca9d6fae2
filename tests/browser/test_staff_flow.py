"""An ambassador's day in the browser: sign in, plan a session, share it, check the attendee in, close it.

Against the real services and NATS (tests/browser/conftest.py's ``system``).
The ambassador adds the venue at a desk, then plans on a phone. axe-core
checks every staff page on the way; the main ones are photographed at phone
and desktop width for the README.
"""

from __future__ import annotations

import io
import re
import shutil
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from PIL import Image

from tests.browser.conftest import CHROMIUM_ARGS
from tests.browser.helpers import check_accessible, check_fits, screenshot, text_of
from tests.support.clock import back_then, until_started
from tests.support.factories import PASSWORD, book, log_hours, make_session, make_user
from tests.support.servers import wait_until
from tests.support.system import System

CODE = re.compile(r"^[A-Z2-9]{4}-[A-Z2-9]{4}$")
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def _sign_in_with_the_keyboard(page: Any, email: str, password: str) -> None:
    def tab_to(selector: str) -> None:
        for _ in range(30):
            page.keyboard.press("Tab")
            if page.evaluate("s => document.activeElement === document.querySelector(s)", selector):
                return
        raise AssertionError(f"Tab never reached {selector}")

    tab_to("#email")
    page.keyboard.type(email)
    tab_to("#password")
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/staff(\?|$|/)"))


def test_an_ambassador_plans_shares_checks_in_and_closes_a_session(system: System, open_context: Any) -> None:
    scheduler = system.services["scheduler"].url
    api = system.client("scheduler")
    ambassador = make_user(api, display_name="Amal Haddad")

    # the ambassador adds the venue where the session will be (desktop width)
    desk = open_context(locale="en-GB", viewport={"width": 1280, "height": 800}).new_page()
    desk.goto(f"{scheduler}/staff/venues")
    assert "/staff/sign-in?next=%2Fstaff%2Fvenues" in desk.url
    check_accessible(desk)
    screenshot(desk, "staff-sign-in")
    _sign_in_with_the_keyboard(desk, ambassador["email"], PASSWORD)
    desk.fill("#name", "Buurthuis De Brug")
    desk.fill("#public_name", "Javastraat 10")
    desk.select_option("#kind", "community_centre")
    desk.fill("#address", "Javastraat 10, Amsterdam")
    desk.fill("#city", "Amsterdam")
    desk.fill("#room_name_0", "Zaal 1")
    desk.fill("#room_capacity_0", "12")
    desk.get_by_role("button", name="Add the venue").click()
    assert text_of(desk, "#venue-added") == "The venue is added."
    check_accessible(desk)
    screenshot(desk, "staff-venues")
    [venue] = [v for v in api.get("/api/v1/venues").json() if v["name"] == "Buurthuis De Brug"]
    day = (datetime.now(AMSTERDAM) + timedelta(days=2)).date()
    taken = datetime(day.year, day.month, day.day, 10, tzinfo=AMSTERDAM)
    make_session(api, venue, starts_at=taken.isoformat(), ends_at=(taken + timedelta(hours=2)).isoformat())

    # the ambassador signs in on a phone and plans a session; the clash shows while typing
    phone = open_context(locale="en-GB").new_page()
    phone.goto(f"{scheduler}/staff/sign-in")
    _sign_in_with_the_keyboard(phone, ambassador["email"], PASSWORD)
    assert phone.inner_text("h1") == "My sessions"
    check_accessible(phone)
    phone.goto(f"{scheduler}/staff/sessions/new")
    phone.select_option("#room_id", venue["rooms"][0]["id"])
    phone.fill("#day", day.isoformat())
    phone.fill("#starts", "11:00")
    phone.fill("#ends", "12:30")
    phone.locator("#live-check .problem").wait_for()
    assert "The room is taken" in text_of(phone, "#live-check")
    check_accessible(phone)
    screenshot(phone, "staff-plan-clash")
    phone.fill("#starts", "14:00")
    phone.fill("#ends", "16:00")
    phone.wait_for_function("() => document.querySelector('#live-check').classList.contains('ok')")
    phone.fill("#capacity", "10")
    phone.fill("#internal_title", "Where to find help, in Arabic")
    phone.fill("#public_title", "Saturday tea")
    phone.check("#language-ar")
    phone.get_by_role("button", name="Check for clashes").click()
    assert "No clashes" in text_of(phone, "#check-result")
    phone.get_by_role("button", name="Save the session").click()
    assert "The session is saved" in text_of(phone, "#door-result")
    check_accessible(phone)
    share = phone.get_attribute("#share-link", "href")
    assert share is not None and re.search(r"/s/[0-9a-f]{32}$", share)

    # an attendee opens the shared link in Arabic and registers
    attendee = open_context(locale="ar-SY").new_page()
    attendee.goto(share)
    assert attendee.get_attribute("html", "dir") == "rtl"
    assert attendee.title() == "Saturday tea"
    attendee.locator("form button[type=submit]").click()
    code = text_of(attendee, "#booking-code")
    assert CODE.match(code), code

    # at the door: the ambassador types the code as it is read out, then closes the session
    phone.reload()
    assert text_of(phone, "#count-booked") == "1"
    phone.fill("#code", code.lower().replace("-", " "))
    with phone.expect_navigation():  # the answer is a new page; read it, not the one before
        phone.keyboard.press("Enter")
    assert text_of(phone, "#door-result") == f"Checked in: {code}"
    assert text_of(phone, "#count-checked-in") == "1"
    check_accessible(phone)
    screenshot(phone, "staff-session")
    # closing asks first: without the box ticked the browser keeps the form (and the server would refuse it)
    until_started(system.clock, api.get(f"/api/v1/sessions/{share.rsplit('/', 1)[1]}").json())
    phone.get_by_role("button", name="Close the session").click()
    assert phone.evaluate("() => document.querySelector('#confirm-close').matches(':invalid')")
    assert text_of(phone, "#door-result") == f"Checked in: {code}"  # still the page before: nothing was sent
    phone.check("#confirm-close")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Close the session").click()
    assert text_of(phone, "#door-result") == "The session is closed. Attendance: 1."
    check_accessible(phone)

    # the feedback cards, through the scheduler with the staff cookie, once the feedback service has the session
    cards = phone.get_attribute("#cards-link", "href")
    assert cards is not None
    pdf = wait_until(
        lambda: (r := phone.request.get(f"{scheduler}{cards}")).status == 200 and r,
        timeout=30,
        message="the feedback cards",
    )
    assert pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")

    # one card per person counted; two more for people the count missed, asked for on the page
    session_id = cards.split("/")[3]
    minted = "SELECT tokens_minted FROM feedback_session WHERE session_id = :s"
    assert system.scalar("feedback", minted, s=session_id) == 1
    phone.fill("#extra-cards", "2")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Ask for more cards").click()
    assert text_of(phone, "#door-result") == "2 more cards. Print the cards again to get them."
    assert system.scalar("feedback", minted, s=session_id) == 3
    check_accessible(phone)
    phone.fill("#extra-cards", "4")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Ask for more cards").click()
    assert text_of(phone, "#door-result") == "That did not work."
    assert "at most 5 in all" in text_of(phone, "#door-detail")  # the feedback service's own words
    assert system.scalar("feedback", minted, s=session_id) == 3

    phone.goto(f"{scheduler}/staff")
    check_accessible(phone)
    screenshot(phone, "staff-home")
    november = datetime(2026, 11, 20, 14, tzinfo=AMSTERDAM)  # a month of a year with a cap (BRUG_ALLOWANCE_CAPS)
    with back_then(system.clock, november - timedelta(days=7)):  # planned before it ran
        earlier = make_session(
            api,
            venue,
            starts_at=november.isoformat(),
            ends_at=(november + timedelta(hours=2)).isoformat(),
            ambassador_ids=[ambassador["id"]],
        )
    log_hours(api, kind="session", session_id=earlier["id"], user_id=ambassador["id"], hours=2.5, allowance="120")
    phone.goto(f"{scheduler}/staff/hours?month=2026-11")
    assert phone.get_attribute("meter#allowance-meter", "value") == "120.00"
    assert "EUR 120.00 of EUR 170.00" in text_of(phone, "#allowance-text")
    check_accessible(phone)
    screenshot(phone, "staff-hours")


def _camera_file(qr_png: bytes, path: Any) -> Any:
    """A video of a phone screen held up to the camera: the QR code on white, as Chromium's fake camera
    plays it (Y4M, 4:2:0, grey; one frame, played in a loop)."""
    width, height = 640, 480
    frame = Image.new("L", (width, height), 255)
    qr = Image.open(io.BytesIO(qr_png)).convert("L").resize((300, 300), Image.Resampling.NEAREST)
    frame.paste(qr, ((width - 300) // 2, (height - 300) // 2))
    chroma = bytes([128]) * (width * height // 2)
    path.write_bytes(
        f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode() + b"FRAME\n" + frame.tobytes() + chroma
    )
    return path


def test_at_the_door_an_ambassador_taps_a_name_scans_a_booking_and_counts_walk_ins(
    system: System, open_context: Any, browser: Any, tmp_path: Any
) -> None:
    """The door on a phone: check-in first, the people expected to tap, the QR code on an attendee's
    booking page read by the phone's camera (Chromium's fake camera plays that very QR code, taken from
    the booking page; the door page's own script reads it: jsQR where the browser has no BarcodeDetector,
    as Chromium on Linux has none), walk-ins + and −. The camera's page is watched like every other:
    no request outside Brug, no CSP complaint."""
    scheduler = system.services["scheduler"].url
    api = system.client("scheduler")
    ambassador = make_user(api, display_name="Samir Idris")
    session = make_session(api, ambassador_ids=[ambassador["id"]], public_title="Friday tea")
    amira = book(api, session["id"], nickname="Amira")
    scanned = book(api, session["id"])

    attendee = open_context(locale="en-GB").new_page()
    attendee.goto(f"{scheduler}/b/{scanned['code']}?token={scanned['manage_token']}")
    check_fits(attendee)
    qr_png = attendee.locator("#door-qr").screenshot()
    video = _camera_file(qr_png, tmp_path / "booking-qr.y4m")

    camera = browser.browser_type.launch(
        executable_path=shutil.which("chromium"),
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )
    try:
        context = camera.new_context(locale="en-GB", viewport={"width": 360, "height": 760})
        context.grant_permissions(["camera"])
        asked: list[str] = []
        complaints: list[str] = []
        context.on("request", lambda request: asked.append(request.url))
        context.on("console", lambda message: complaints.append(message.text))
        phone = context.new_page()
        phone.goto(f"{scheduler}/staff/sign-in?next=/staff/sessions/{session['id']}")
        phone.fill("#email", ambassador["email"])
        phone.fill("#password", PASSWORD)
        with phone.expect_navigation():
            phone.keyboard.press("Enter")
        assert phone.inner_text("h1") == "Friday tea"
        headings = phone.locator("main h2").all_inner_texts()
        assert headings[:2] == ["Check in", "Expected"]  # check-in first, then who is expected
        assert phone.is_visible("#scan-start")  # the script is there and the browser has a camera API
        check_fits(phone)
        check_accessible(phone)

        with phone.expect_navigation():
            phone.get_by_role("button", name="Amira").click()
        assert text_of(phone, "#door-result") == f"Checked in: {amira['code']}"
        with phone.expect_navigation():
            phone.get_by_role("button", name="One walk-in more").click()
        with phone.expect_navigation():
            phone.get_by_role("button", name="One walk-in more").click()
        with phone.expect_navigation():
            phone.get_by_role("button", name="One walk-in fewer").click()
        assert text_of(phone, "#walk-ins-now") == "1"

        with phone.expect_navigation(timeout=20_000):
            phone.get_by_role("button", name="Scan the QR code").click()
        assert text_of(phone, "#door-result") == f"Checked in: {scanned['code']}"
        assert text_of(phone, "#count-checked-in") == "2"
        if not phone.evaluate("'BarcodeDetector' in window"):
            assert any("/static/jsQR.js" in url for url in asked)
        check_fits(phone)
        check_accessible(phone)
        screenshot(phone, "staff-door", widths=(360,))
        foreign = [url for url in asked if not url.startswith(scheduler) and not url.startswith("data:")]
        assert not foreign, foreign
        blocked = [m for m in complaints if "Content Security Policy" in m or "Refused to" in m]
        assert not blocked, blocked
        context.close()
    finally:
        camera.close()
