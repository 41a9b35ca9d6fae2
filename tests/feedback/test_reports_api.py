"""Provider reports: own sessions only, after the window closes, nobody singled out."""

from __future__ import annotations

import asyncio
from datetime import date

import nats
from sqlalchemy import insert

from feedback.forms.models import FeedbackResponse
from feedback.reports.publisher import publish_closed
from feedback.settings import FeedbackSettings
from shared.events import parse_event
from tests.feedback.conftest import FeedbackService
from tests.support.servers import wait_until
from tests.support.tokens import StaffSigner


def _answers(feedback: FeedbackService, session_id: str, rows: list[dict[str, object]]) -> None:
    """Answers as the form stores them (cards expire when the window closes, so they are added directly)."""
    with feedback.engine.begin() as connection:
        connection.execute(
            insert(FeedbackResponse),
            [
                {
                    "id": f"{session_id[:20]}{i:012d}",
                    "session_id": session_id,
                    "question_set": 1,
                    "submitted_on": date.today(),
                    "locale": "ar",
                    "answers": row,
                }
                for i, row in enumerate(rows)
            ],
        )


def test_a_released_session_report_suppresses_small_cells(feedback: FeedbackService, signer: StaffSigner) -> None:
    session = feedback.complete_session(attendance=12, days_ago=20, provider="ggd")
    _answers(feedback, session, [{"useful": 5, "felt_safe": True}] * 6 + [{"useful": 4, "felt_safe": False}])
    response = feedback.client.get(
        f"/api/v1/reports/sessions/{session}", headers=signer.headers("provider_staff", "ggd")
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["responses"] == 7
    assert report["questions"]["useful"]["distribution"] == {"1": None, "2": None, "3": None, "4": None, "5": 6}
    assert report["questions"]["felt_safe"] == {"n": 7, "yes": None, "no": None}
    assert report["questions"]["useful"]["mean"] == 4.86


def test_a_report_waits_for_the_feedback_window_to_close(feedback: FeedbackService, signer: StaffSigner) -> None:
    session = feedback.complete_session(attendance=12, days_ago=1)
    response = feedback.client.get(f"/api/v1/reports/sessions/{session}", headers=signer.headers("coordinator"))
    assert response.status_code == 409
    assert response.json()["error"] == "ReportNotReady"
    assert "the report is released then" in response.json()["detail"]


def test_staff_of_another_provider_and_ambassadors_are_refused(feedback: FeedbackService, signer: StaffSigner) -> None:
    session = feedback.complete_session(attendance=12, days_ago=20, provider="ggd")
    url = f"/api/v1/reports/sessions/{session}"
    assert feedback.client.get(url).status_code == 401
    assert feedback.client.get(url).headers["WWW-Authenticate"] == "Bearer"
    assert feedback.client.get(url, headers=signer.headers("provider_staff", "other-org")).status_code == 403
    assert feedback.client.get(url, headers=signer.headers("ambassador")).status_code == 403
    assert feedback.client.get(url, headers=signer.headers("coordinator")).status_code == 200
    forged = StaffSigner().headers("coordinator")  # a key the scheduler never published
    assert feedback.client.get(url, headers=forged).status_code == 401


def test_a_provider_report_pools_only_sessions_that_are_large_enough_alone(
    feedback: FeedbackService, signer: StaffSigner
) -> None:
    big = feedback.complete_session(attendance=12, days_ago=20, audience="women", languages=("ar",))
    other = feedback.complete_session(attendance=12, days_ago=19, audience="men", languages=("ti",))
    small = feedback.complete_session(attendance=3, days_ago=18, audience="men", languages=("ti",))
    _answers(feedback, big, [{"useful": 5, "recommend": True}] * 6)
    _answers(feedback, other, [{"useful": 3, "recommend": True}] * 5)
    _answers(feedback, small, [{"useful": 1, "recommend": False}] * 2)
    report = feedback.client.get(
        "/api/v1/reports/providers/ggd", headers=signer.headers("provider_staff", "ggd")
    ).json()
    assert (report["sessions"], report["sessions_with_too_few_answers"], report["responses"]) == (2, 1, 11)
    assert report["by_audience"]["women"]["responses"] == 6
    assert report["by_audience"]["men"]["responses"] == 5
    assert report["by_language"]["ti"]["responses"] == 5
    assert (
        feedback.client.get(
            "/api/v1/reports/providers/other-org", headers=signer.headers("provider_staff", "ggd")
        ).status_code
        == 403
    )


def test_the_report_event_is_published_once_when_the_window_closes(feedback: FeedbackService) -> None:
    closed = feedback.complete_session(attendance=9, days_ago=20)
    still_open = feedback.complete_session(attendance=9, days_ago=2)
    _answers(feedback, closed, [{"useful": 4}] * 5)
    settings = FeedbackSettings(feedback_token_secret=feedback.keys.token_secret)
    published_now = publish_closed(feedback.engine, settings)  # the service's loop may have done it already
    assert publish_closed(feedback.engine, settings) == 0
    assert published_now in (0, 1)

    async def events() -> list[object]:
        connection = await nats.connect(feedback.nats_url)
        try:
            subscription = await connection.jetstream().pull_subscribe("feedback.report.published", stream="FEEDBACK")
            return [parse_event(m.data).payload for m in await subscription.fetch(10, timeout=2)]
        except nats.errors.TimeoutError:
            return []
        finally:
            await connection.close()

    found = wait_until(lambda: asyncio.run(events()), message="the report event")
    assert [e.session_id for e in found] == [closed]
    assert found[0].response_count == 5
    assert found[0].summary["questions"]["useful"]["distribution"]["4"] == 5
    assert still_open not in str(found)


def test_the_csv_export_writes_withheld_figures_as_words(feedback: FeedbackService, signer: StaffSigner) -> None:
    session = feedback.complete_session(attendance=12, days_ago=20, provider="ggd")
    _answers(feedback, session, [{"useful": 5, "felt_safe": True}] * 6 + [{"useful": 4, "felt_safe": False}])
    response = feedback.client.get(f"/api/v1/reports/sessions/{session}.csv", headers=signer.headers("coordinator"))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    lines = response.text.splitlines()
    assert lines[0] == "figure,value"
    assert "responses,7" in lines
    assert "questions.useful.distribution.5,6" in lines
    assert "questions.useful.distribution.4,fewer than 5 answers" in lines
    assert "questions.felt_safe.no,fewer than 5 answers" in lines
    provider = feedback.client.get("/api/v1/reports/providers/ggd.csv", headers=signer.headers("provider_staff", "ggd"))
    assert "sessions,1" in provider.text.splitlines()
