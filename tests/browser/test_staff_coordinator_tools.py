"""A coordinator, on a phone, erases an attendee's data by booking code, finds it in the audit log,
and replays an event the scheduler gave up on; the notifier and the feedback service show theirs too.

The confirmation says what goes without showing it (no nickname, no number, not the internal title);
the audit log is narrowed by action and dates and shows the erasure as a card; the dead letter is a
card with its reason and a Replay button. axe-core checks each page, each fits 360 px and names
nothing sensitive; photographed for the guide at phone width.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from shared.db import make_engine
from shared.events import Envelope, ReportPublished
from shared.tables import DeadLetter
from shared.unit_of_work import UnitOfWork
from tests.browser.helpers import (
    check_staff_page,
    screenshot,
    sign_in,
    text_of,
)
from tests.support.config import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.support.factories import book, make_session, make_venue
from tests.support.system import System


def _give_up_on(system: System, service: str, reason: str) -> None:
    """A letter ``service``'s consumer wrote for an event it could not read (none kept to replay)."""
    engine = make_engine(system.database_urls[service])
    try:
        with UnitOfWork(engine) as db:
            db.add(
                DeadLetter(
                    consumer=service,
                    stream="SCHEDULING",
                    stream_seq=1,
                    subject="scheduling.session.published",
                    reason=reason,
                )
            )
    finally:
        engine.dispose()


def _give_up_on_a_report(system: System, session_id: str) -> None:
    """A report the scheduler's consumer gave up on, as it records one (its database was away)."""
    event = Envelope.wrap(ReportPublished(session_id=session_id, response_count=None), producer="feedback")
    engine = make_engine(system.database_urls["scheduler"])
    try:
        with UnitOfWork(engine) as db:
            db.add(
                DeadLetter(
                    consumer="scheduler",
                    stream="FEEDBACK",
                    stream_seq=1,
                    subject=event.subject,
                    event_id=event.id,
                    reason="failed 5 times; last error OperationalError: database is locked",
                    body=event.to_json().decode(),
                )
            )
    finally:
        engine.dispose()


def test_a_coordinator_erases_a_booking_finds_it_in_the_audit_log_and_replays_an_event(
    system: System, open_context: Any
) -> None:
    scheduler = system.services["scheduler"].url
    api = system.client("scheduler")
    make_venue(api)  # another action in the log, for the filter to leave out
    session = make_session(api, capacity=5)
    booking = book(api, session["id"], nickname="Zarifa", phone="06 13572468")
    phone = open_context(locale="en-GB").new_page()
    phone.goto(f"{scheduler}/staff/sign-in?next=/staff/erasure")
    sign_in(phone, ADMIN_EMAIL, ADMIN_PASSWORD, lands_on=re.compile(r"/staff/erasure$"))
    assert phone.inner_text("h1") == "Erase an attendee's data"
    check_staff_page(phone)

    phone.fill("#code", "nope")
    phone.get_by_role("button", name="Show what will go").click()
    assert text_of(phone, "#code-error").startswith("A booking code has 8 letters and digits")
    assert phone.get_attribute("#code", "aria-invalid") == "true"
    check_staff_page(phone)

    phone.fill("#code", booking["code"].lower())
    phone.get_by_role("button", name="Show what will go").click()
    assert phone.inner_text("h1") == "Erase this booking's data?"
    assert session["public_title"] in text_of(phone, "#erasure-booking")
    goes = text_of(phone, "#erasure-goes")
    assert "The name they gave" in goes and "phone number or e-mail address" in goes
    assert "Zarifa" not in phone.content() and "13572468" not in phone.content()
    check_staff_page(phone)
    screenshot(phone, "staff-erasure-confirm", widths=(360,))

    phone.get_by_role("button", name="Erase the data").click()
    phone.wait_for_url(re.compile(r"/staff/erasure\?done=released$"))
    assert text_of(phone, "#erasure-done").startswith("The data is erased.")
    check_staff_page(phone)

    today = datetime.now(ZoneInfo("Europe/Amsterdam")).date().isoformat()
    phone.goto(f"{scheduler}/staff/audit")
    assert phone.inner_text("h1") == "Audit log"
    phone.select_option("#action", "booking.erased")
    phone.fill("#from", today)
    phone.fill("#to", today)
    phone.get_by_role("button", name="Show").click()
    phone.wait_for_url(re.compile(r"/staff/audit\?action=booking.erased"))
    cards = phone.locator(".audit-entry")
    assert cards.count() == 1
    card = re.sub(r"\s+", " ", cards.first.inner_text())
    assert "booking.erased" in card and session["id"] in card and "released" in card
    assert booking["code"] not in phone.content()  # the log names the booking by a keyed hash
    assert phone.input_value("#from") == today and phone.input_value("#action") == "booking.erased"
    check_staff_page(phone)
    screenshot(phone, "staff-audit", widths=(360,))

    phone.select_option("#action", "venue.")
    phone.get_by_role("button", name="Show").click()
    assert phone.locator(".audit-entry").count() >= 1
    assert "booking.erased" not in re.sub(r"\s+", " ", phone.locator("main ol").inner_text())
    check_staff_page(phone)

    _give_up_on_a_report(system, session["id"])
    phone.goto(f"{scheduler}/staff/dead-letters")
    letter = re.sub(r"\s+", " ", phone.locator(".audit-entry").first.inner_text())
    assert "feedback.report.published" in letter and "database is locked" in letter
    check_staff_page(phone)
    screenshot(phone, "staff-dead-letters", widths=(360,))
    phone.get_by_role("button", name="Replay").click()
    phone.wait_for_url(re.compile(r"/staff/dead-letters\?done=applied$"))
    assert text_of(phone, "#replay-result") == "Replayed: the event is applied."
    assert phone.get_by_role("button", name="Replay").count() == 0
    check_staff_page(phone)


def test_the_notifier_and_the_feedback_service_each_show_the_events_they_gave_up_on(
    system: System, open_context: Any
) -> None:
    phone = open_context(locale="en-GB").new_page()
    for service, reason in (("notifier", "unknown version 7"), ("feedback", "payload is not valid JSON")):
        _give_up_on(system, service, reason)
        phone.goto(f"{system.services[service].url}/staff/sign-in?next=/staff/dead-letters")
        if "/staff/sign-in" in phone.url:  # each service keeps its own sign-in cookie
            sign_in(phone, ADMIN_EMAIL, ADMIN_PASSWORD, lands_on=re.compile(r"/staff/dead-letters$"))
        assert phone.inner_text("h1") == "Events given up on"
        letter = re.sub(r"\s+", " ", phone.locator(".audit-entry").first.inner_text())
        assert "scheduling.session.published" in letter and reason in letter
        assert "cannot be replayed" in letter  # it kept no event
        assert phone.get_attribute('nav a[href="/staff/dead-letters"]', "aria-current") == "page"
        check_staff_page(phone)
