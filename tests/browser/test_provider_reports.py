"""Staff report pages in the browser: a provider signs in on the feedback service and reads the report
of its sessions (charts beside tables, a small session's own report withheld); a coordinator resends a failed SMS
from the notifier's page. Every page passes axe-core and the Content-Security-Policy (the charts are
pygal's SVG, which styles itself with a <style> element)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import create_engine, insert, text, update
from sqlmodel import col

from feedback.forms.models import FeedbackResponse
from feedback.tokens.models import FeedbackSession
from shared.db import normalise_url
from shared.natsserver import NatsServer
from tests.browser.helpers import check_accessible, check_fits, screenshot, sign_in
from tests.support.clock import until_started
from tests.support.config import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.support.factories import PASSWORD, book, make_provider, make_session, make_user, make_venue
from tests.support.servers import wait_until
from tests.support.system import System


@pytest.fixture(scope="module")
def system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[System]:
    """The whole system on SQLite, with a privacy budget so high (``BRUG_DP_EPSILON`` = 1000) that
    the released figures are exact: these tests are about the pages, not about the noise."""
    root = tmp_path_factory.mktemp("system")
    nats = NatsServer(root / "nats", log_file=root / "nats.log").start()
    running = System(
        root=root,
        nats=nats,
        database_urls={name: f"sqlite:///{root / (name + '.db')}" for name in ("scheduler", "notifier", "feedback")},
        extra_env={"BRUG_DP_EPSILON": "1000"},
    )
    try:
        yield running.start()
    finally:
        running.stop()
        nats.stop()


def _write(system: System, service: str, *statements: Any) -> None:
    """Change ``service``'s own database, as time passing (or a gateway failing) would."""
    engine = create_engine(normalise_url(system.database_urls[service]))
    try:
        with engine.begin() as connection:
            for statement in statements:
                connection.execute(*statement) if isinstance(statement, tuple) else connection.execute(statement)
    finally:
        engine.dispose()


def _complete(system: System, provider_id: str, venue: dict[str, Any], walk_ins: int, audience: str) -> str:
    scheduler = system.client("scheduler")
    session = make_session(scheduler, venue, provider_id=provider_id, audience=audience)
    assert scheduler.post(f"/api/v1/sessions/{session['id']}/check-ins", json={"walk_ins": walk_ins}).status_code == 200
    until_started(system.clock, session)
    assert scheduler.post(f"/api/v1/sessions/{session['id']}/complete").status_code == 200
    sql = "SELECT count(*) FROM feedback_session WHERE session_id = :id AND completed_at IS NOT NULL"
    wait_until(lambda: system.scalar("feedback", sql, id=session["id"]), message="the feedback service to know it")
    return str(session["id"])


def _answers(session_id: str, rows: list[dict[str, object]]) -> Any:
    return (
        insert(FeedbackResponse),
        [
            {
                "id": f"{session_id[:20]}{i:012d}",
                "session_id": session_id,
                "question_set": 1,
                "submitted_on": date.today() - timedelta(days=19),
                "language": "ar",
                "answers": answer,
            }
            for i, answer in enumerate(rows)
        ],
    )


@pytest.fixture(scope="module")
def provider(system: System) -> dict[str, Any]:
    """A provider with two sessions three weeks ago (feedback closed): eight answers, and three."""
    scheduler = system.client("scheduler")
    organisation = make_provider(scheduler, name="GGD Zuid")
    user = make_user(scheduler, role="provider_staff", provider_id=organisation["id"])
    venue = make_venue(scheduler)
    big = _complete(system, organisation["id"], venue, walk_ins=10, audience="women")
    small = _complete(system, organisation["id"], venue, walk_ins=4, audience="youth")
    answers = [{"useful": 5, "felt_safe": True, "recommend": True, "knew_help_before": 2, "knows_help_after": 4}] * 6
    answers += [{"useful": 4, "felt_safe": True, "topics_next": ["health_system"]}] * 2
    _write(
        system,
        "feedback",
        update(FeedbackSession)
        .where(col(FeedbackSession.provider_id) == organisation["id"])
        .values(completed_at=datetime.now(UTC) - timedelta(days=20)),
        _answers(big, answers),
        _answers(small, [{"useful": 1}] * 3),
        update(FeedbackResponse)
        .where(col(FeedbackResponse.id) == f"{big[:20]}{0:012d}")
        .values(comment="The interpreter was very patient", comment_status="pending"),
    )
    return {"id": organisation["id"], "email": user["email"], "big": big, "small": small}


def test_a_provider_signs_in_and_reads_the_report_with_charts_and_a_small_session_withheld(
    system: System, provider: dict[str, Any], open_context: Any
) -> None:
    page = open_context(locale="en-GB", viewport={"width": 1280, "height": 800}).new_page()
    page.goto(system.services["feedback"].url + "/staff/reports")
    assert "/staff/sign-in" in page.url
    sign_in(page, provider["email"], PASSWORD, lands_on=None)
    assert page.url.endswith(f"/staff/reports/providers/{provider['id']}")
    assert "GGD Zuid" in page.inner_text("h1")

    charts = page.locator("figure.chart img")
    assert charts.count() >= 3  # usefulness, before and after, by language; the rest is withheld
    for index in range(charts.count()):  # each SVG was drawn (an image the CSP blocked would be empty)
        assert charts.nth(index).evaluate("async img => { await img.decode(); return img.naturalWidth > 0; }")
        assert charts.nth(index).get_attribute("alt")
    key = page.locator("section[aria-labelledby=key-figures]").inner_text()
    assert "Answers\t11" in key and "Sessions in this report\t2" in key  # the small session is pooled too
    assert "withheld to protect small groups" in page.locator("#part-useful + .figure-pair table").inner_text()
    check_accessible(page)
    screenshot(page, "provider-report", widths=(360,))  # leaves the page 360 px wide
    check_fits(page)
    page.goto(page.url + "#part-useful")  # on a wide screen: the charts beside their tables
    screenshot(page, "provider-report", widths=(1280,))

    csv = page.request.get(system.services["feedback"].url + str(page.get_attribute("a[download]", "href")))
    assert csv.ok and csv.headers["content-type"].startswith("text/csv") and "responses,11" in csv.text()

    page.select_option("#audience", "youth")
    page.get_by_role("button", name="Show").click()
    assert "audience=youth" in page.url
    assert "no figures are shown" in page.inner_text("main") and page.locator("figure.chart").count() == 0

    page.goto(system.services["feedback"].url + f"/staff/reports/sessions/{provider['small']}")
    assert "Too few answers: no figures are shown" in page.inner_text("main")
    check_accessible(page)
    screenshot(page, "provider-report-withheld", widths=(360,))


def test_a_coordinator_resends_a_failed_sms_from_the_notifiers_page(system: System, open_context: Any) -> None:
    scheduler = system.client("scheduler")
    session = make_session(scheduler)
    booking = book(scheduler, session["id"], phone="06 12345678", locale="nl")
    sql = "SELECT id FROM delivery WHERE booking_code = :code AND status IN ('sent', 'delivered')"
    delivery = wait_until(lambda: system.scalar("notifier", sql, code=booking["code"]), message="the SMS")
    sent = len(system.sms())
    _write(
        system,
        "notifier",
        text("UPDATE delivery SET status = 'failed', last_error = 'file: disk full' WHERE id = :id").bindparams(
            id=delivery
        ),
    )

    page = open_context(locale="nl-NL").new_page()
    page.goto(system.services["notifier"].url + "/staff/deliveries")
    _sign_in_dutch(page)
    assert page.get_attribute("html", "lang") == "nl"
    row = page.locator("tr", has_text=booking["code"])
    assert "disk full" in row.inner_text()
    check_accessible(page)
    check_fits(page)
    screenshot(page, "notifier-deliveries")

    row.get_by_role("button").click()
    assert "opnieuw te worden verstuurd" in page.inner_text("main")
    wait_until(lambda: len(system.sms()) > sent, message="the SMS to be sent again")
    check_accessible(page)


def test_a_coordinator_approves_a_comment_for_the_provider(
    system: System, provider: dict[str, Any], open_context: Any
) -> None:
    page = open_context(locale="en-GB").new_page()
    page.goto(system.services["feedback"].url + "/staff/comments")
    sign_in(page, ADMIN_EMAIL, ADMIN_PASSWORD, lands_on=None)
    assert "The interpreter was very patient" in page.inner_text("main")
    check_accessible(page)
    screenshot(page, "feedback-comments", widths=(360,))
    page.get_by_role("button", name="Approve as it is").click()
    assert "The comment is approved" in page.inner_text("main")
    assert "No comments are waiting" in page.inner_text("main")
    check_accessible(page)


def _sign_in_dutch(page: Any) -> None:
    page.fill("#email", ADMIN_EMAIL)
    page.fill("#password", ADMIN_PASSWORD)
    page.locator("form button[type=submit]").last.click()
