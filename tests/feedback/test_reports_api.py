"""Provider reports: own sessions only, after the window closes, from one noisy release per session.

Most tests here are about who sees what and which figures are withheld: they set the privacy budget
so high (``BRUG_DP_EPSILON`` = 1000) that the noise rounds to nothing, to read exact figures. The
tests of the release itself keep the default budget."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import date

import nats
import pytest
from sqlalchemy import insert

from feedback.forms.models import FeedbackResponse
from feedback.forms.repository import lock_session
from feedback.reports.publisher import publish_closed
from feedback.reports.release import release
from feedback.settings import FeedbackSettings
from feedback.tokens.minting import derive_token
from shared.events import parse_event
from shared.unit_of_work import UnitOfWork
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
                    "language": "ar",
                    "answers": row,
                }
                for i, row in enumerate(rows)
            ],
        )


@pytest.fixture(autouse=True)
def budget(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Exact figures (a budget of 1000) unless a test is marked ``default_budget``; set before the
    service starts (an autouse fixture runs before the ``feedback`` fixture)."""
    if "keeps_default_budget" not in request.node.name:
        monkeypatch.setenv("BRUG_DP_EPSILON", "1000")
    yield


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
    assert report["questions"]["useful"]["mean"] is None  # with 6 and 7 known, it would give the 4 back


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


def test_a_provider_report_pools_every_released_session_and_counts_answers_by_their_language(
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
    assert (report["sessions"], report["responses"]) == (3, 13)
    assert report["by_audience"]["women"]["responses"] == 6
    assert report["by_audience"]["men"]["responses"] == 7
    # each answer counts in its own language group: the helper stores every answer as Arabic, so
    # the "ti" sessions' answers are "other" (not one of their languages), and "ti" has none: it is
    # withheld, and the next smallest group with it, so that no group is the total minus the rest
    assert report["by_language"]["other"]["responses"] == 7
    assert report["by_language"]["ti"]["responses"] is None and report["by_language"]["ar"]["responses"] is None
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
    assert (found[0].counts["responses"], found[0].counts["cells"]["useful:4"]) == (5, 5)
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
    assert "questions.useful.distribution.4,withheld to protect small groups" in lines
    assert "questions.felt_safe.no,withheld to protect small groups" in lines
    assert "questions.useful.mean,withheld to protect small groups" in lines
    provider = feedback.client.get("/api/v1/reports/providers/ggd.csv", headers=signer.headers("provider_staff", "ggd"))
    assert "sessions,1" in provider.text.splitlines()


def test_a_session_is_released_once_and_every_report_reads_that_release_keeps_default_budget(
    feedback: FeedbackService, signer: StaffSigner
) -> None:
    """At the default budget: the first report after the close releases the session (noise drawn
    once, stored), the publisher finds it released, and answers the database gains later are never
    counted; asking again, as a provider or with a filter, shows the same noisy figures."""
    session = feedback.complete_session(attendance=30, days_ago=20, provider="ggd")
    _answers(feedback, session, [{"useful": face} for face in range(1, 6) for _ in range(6)])
    url = f"/api/v1/reports/sessions/{session}"
    first = feedback.client.get(url, headers=signer.headers("coordinator")).json()
    assert feedback.scalar(f"SELECT count(*) FROM feedback_release WHERE session_id = '{session}'") == 1
    settings = FeedbackSettings(feedback_token_secret=feedback.keys.token_secret)
    publish_closed(feedback.engine, settings)
    assert feedback.scalar(f"SELECT count(*) FROM feedback_release WHERE session_id = '{session}'") == 1
    with feedback.engine.begin() as connection:  # an answer stored after the release is never counted
        connection.execute(
            insert(FeedbackResponse),
            [
                {
                    "id": "late" * 8,
                    "session_id": session,
                    "question_set": 1,
                    "submitted_on": date.today(),
                    "answers": {"useful": 1},
                }
            ],
        )
    again = [feedback.client.get(url, headers=signer.headers("coordinator")).json() for _ in range(3)]
    assert all(report == first for report in again), "the same release, the same figures"
    staff = signer.headers("provider_staff", "ggd")
    pooled = feedback.client.get("/api/v1/reports/providers/ggd", headers=staff).json()
    arabic = feedback.client.get("/api/v1/reports/providers/ggd", params={"language": "ar"}, headers=staff).json()
    assert pooled["questions"]["useful"]["distribution"] == first["questions"]["useful"]["distribution"]
    assert pooled["responses"] == first["responses"]
    if pooled["by_language"]["ar"]["responses"] is None:  # withheld beside a small "other" group
        assert arabic["responses"] is None, "the filter must not show what the small-group rule withheld"
    else:
        assert arabic["by_language"] == {"ar": pooled["by_language"]["ar"]}, "a filter reads the same release"
    stored = feedback.scalar(f"SELECT body FROM feedback_release WHERE session_id = '{session}'")
    body = stored if isinstance(stored, dict) else json.loads(str(stored))  # PostgreSQL parses JSON itself
    assert set(body["groups"]) == {"ar", "other"}
    assert any(body["groups"]["other"]["cells"].values()), "noise on every cell, the empty group's too"
    assert body["groups"]["ar"]["cells"] != {f"useful:{face}": 6 for face in range(1, 6)}
    epsilon = feedback.scalar(f"SELECT epsilon FROM feedback_release WHERE session_id = '{session}'")
    assert epsilon == 8.0


def test_each_answer_is_counted_in_its_own_language_group_however_few_share_it(feedback: FeedbackService) -> None:
    """Four Tigrinya speakers in an Arabic and Tigrinya session: too few for their language to be
    stored beside their answers (k = 5), yet the release counts them as ti, by their own language, so
    one person's answer moves only their own count and the privacy budget holds for "by language"
    figures too (had the release read the stored, coarsened group, one more ti answer would have moved
    all five from "other" to ti)."""
    session = feedback.complete_session(attendance=10, languages=("ar", "ti"))
    for index, locale in enumerate(["ti"] * 4 + ["ar"] * 5 + ["so"]):
        card = derive_token(feedback.keys.token_secret, session, index)
        body = {"locale": locale, "answers": {"useful": 4}}
        assert feedback.client.post(f"/api/v1/forms/{card}/responses", json=body).status_code == 201
    with UnitOfWork(feedback.engine) as db:
        locked = lock_session(db, session)
        assert locked is not None
        released = release(db, locked, feedback.settings).body["groups"]
    assert {group: round(counts["responses"]) for group, counts in released.items()} == {"ar": 5, "ti": 4, "other": 1}
    stored = feedback.scalar(
        f"SELECT count(*) FROM feedback_response WHERE session_id = '{session}' AND language = 'ti'"
    )
    assert stored == 0, "the four are stored without their language"
