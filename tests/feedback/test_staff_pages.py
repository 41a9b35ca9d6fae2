"""The provider report pages: own provider only, the API's figures, withheld ones in words, filters, CSV.

The service runs with a privacy budget so high (``BRUG_DP_EPSILON`` = 1000) that the noise rounds to
nothing: these tests are about layout, permissions and withholding, and read exact figures.

The pages are read as a browser signed in with a staff cookie would read
them (the cookie holds a token signed like the scheduler's). Every figure
must be the report API's: the CSV a page offers is compared with the API's.
"""

from __future__ import annotations

import base64
import re
from datetime import UTC, date, datetime
from pathlib import Path

import httpx
import pytest
from babel.messages.pofile import read_po
from sqlalchemy import insert, update

from feedback.forms.models import FeedbackResponse
from feedback.reports import service
from feedback.staff.filters import read_filters
from feedback.tokens.models import FeedbackSession
from shared.pages.staff import STAFF_COOKIE
from shared.tables import DeadLetter
from shared.tls import client_context
from shared.unit_of_work import UnitOfWork
from tests.feedback.conftest import FeedbackService
from tests.support.servers import CLIENT_SECONDS
from tests.support.tokens import StaffSigner

ROOT = Path(__file__).resolve().parents[2]
MESSAGE = re.compile(r'(?:\b_|\bN_|\.gettext)\(\s*"((?:[^"\\]|\\.)*)"')
#: texts the staff kit and the questions catalog translate already (brug.po), found in our sources too.
SHARED: set[str] = set()


@pytest.fixture(autouse=True)
def exact_figures(monkeypatch: pytest.MonkeyPatch) -> None:
    """Set before the ``feedback`` fixture starts the service (autouse fixtures come first)."""
    monkeypatch.setenv("BRUG_DP_EPSILON", "1000")


def _answers(
    feedback: FeedbackService, session_id: str, rows: list[dict[str, object]], language: str | None = "ar"
) -> None:
    """Answers as the mixing pool stores them (cards expire when the window closes, so they are added
    directly), all in one language group."""
    with feedback.engine.begin() as connection:
        connection.execute(
            insert(FeedbackResponse),
            [
                {
                    "id": f"{session_id[:20]}{language or 'x'}{i:010d}",
                    "session_id": session_id,
                    "question_set": 1,
                    "submitted_on": date.today(),
                    "language": language,
                    "answers": row,
                }
                for i, row in enumerate(rows)
            ],
        )


def _as(feedback: FeedbackService, signer: StaffSigner, role: str, provider: str | None = None) -> httpx.Client:
    """A client of the feedback service whose staff cookie is signed in as ``role``."""
    client = httpx.Client(
        base_url=str(feedback.client.base_url),
        timeout=CLIENT_SECONDS,
        headers={"accept-language": "en"},
        verify=client_context(),
    )
    client.cookies.set(STAFF_COOKIE, signer.token(role, provider))
    return client


def _charts(html: str) -> list[str]:
    return [base64.b64decode(src).decode() for src in re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', html)]


@pytest.mark.production_backend
def test_provider_staff_see_their_own_report_with_charts_and_withheld_figures_in_words(
    feedback: FeedbackService, signer: StaffSigner
) -> None:
    session = feedback.complete_session(attendance=12, days_ago=20, provider="ggd", title="Thursday meeting")
    _answers(feedback, session, [{"useful": 5, "felt_safe": True}] * 6 + [{"useful": 4, "felt_safe": False}])
    with _as(feedback, signer, "provider_staff", "ggd") as ggd, _as(feedback, signer, "provider_staff", "other") as y:
        assert ggd.get("/staff/reports").headers["location"] == "/staff/reports/providers/ggd"
        page = ggd.get("/staff/reports/providers/ggd")
        assert page.status_code == 200, page.text
        assert "Content-Security-Policy" in page.headers
        assert "<style" not in page.text and " style=" not in page.text  # the CSP would block them
        assert "withheld to protect small groups" in page.text and "fewer than 5" not in page.text
        assert re.search(r"Very good</th><td class=\"number\">6</td>", page.text)
        assert not re.search(r"Good</th><td class=\"number\">1</td>", page.text)  # one answer is never shown
        charts = _charts(page.text)
        # usefulness and by audience: the rest is withheld, not drawn (by language too: the "other"
        # group has no answers, so it is withheld, and "ar" with it)
        assert len(charts) == 2
        assert all("<title" in svg and "<desc" in svg and "<script" not in svg for svg in charts)
        assert "Thursday meeting" in page.text and f"/staff/reports/sessions/{session}" in page.text

        one = ggd.get(f"/staff/reports/sessions/{session}")
        assert one.status_code == 200 and "withheld to protect small groups" in one.text and _charts(one.text)

        refused = y.get("/staff/reports/providers/ggd")
        assert refused.status_code == 403 and "Not your organisation" in refused.text
        assert "Very good" not in refused.text
        assert y.get(f"/staff/reports/sessions/{session}").status_code == 403
        assert y.get("/staff/reports/providers/ggd.csv").status_code == 403

    with _as(feedback, signer, "ambassador") as ambassador:
        assert ambassador.get("/staff/reports").status_code == 403
    anonymous = httpx.get(f"{feedback.client.base_url}/staff/reports/providers/ggd", verify=client_context())
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/staff/sign-in?next=")


@pytest.mark.production_backend
def test_filters_choose_sessions_and_small_groups_stay_withheld(feedback: FeedbackService, signer: StaffSigner) -> None:
    women = feedback.complete_session(attendance=12, days_ago=20, audience="women", languages=("ar", "nl"))
    men = feedback.complete_session(attendance=12, days_ago=19, audience="men", languages=("fa-AF",))
    few = feedback.complete_session(attendance=6, days_ago=18, audience="youth", languages=("ti",))
    _answers(feedback, women, [{"useful": 5, "recommend": True}] * 6)
    _answers(feedback, men, [{"useful": 3, "recommend": True}] * 5, language="fa")
    _answers(feedback, few, [{"useful": 1, "recommend": False}] * 3)
    coordinator = signer.headers("coordinator")

    def api(**params: str) -> dict[str, object]:
        answer = feedback.client.get("/api/v1/reports/providers/ggd", params=params, headers=coordinator)
        assert answer.status_code == 200, answer.text
        return answer.json()  # type: ignore[no-any-return]

    assert (api()["responses"], api()["sessions"]) == (14, 3)  # every released session, small ones too
    assert (api(language="fa")["responses"], api(language="fa")["sessions"]) == (5, 1)  # fa finds fa-AF
    assert api(language="fa")["by_language"]["fa"]["responses"] == 5
    assert api(audience="women")["responses"] == 6
    assert api(language="nl", audience="men")["responses"] is None
    youth = api(audience="youth")  # one small session alone: nothing but that it is small
    assert (youth["responses"], youth["sessions"], youth["withheld"]) == (None, 1, "withheld to protect small groups")
    assert "questions" not in youth
    assert (
        feedback.client.get(
            "/api/v1/reports/providers/ggd", params={"audience": "pets"}, headers=coordinator
        ).status_code
        == 422
    )

    with _as(feedback, signer, "coordinator") as page_client:
        page = page_client.get("/staff/reports/providers/ggd", params={"audience": "youth"})
        assert page.status_code == 200
        assert "Too few answers: no figures are shown" in page.text and not _charts(page.text)
        filtered = page_client.get("/staff/reports/providers/ggd", params={"language": "fa", "from": "2000-01-01"})
        assert re.search(r"Answers</th><td class=\"number\">5</td>", filtered.text)
        assert '<option value="fa-AF">' in filtered.text or 'value="fa-AF"' in filtered.text
        wrong = page_client.get("/staff/reports/providers/ggd", params={"from": "2026-13-45"})
        assert wrong.status_code == 200 and "could not be read" in wrong.text


@pytest.mark.production_backend
def test_the_csv_export_is_the_report_apis_with_withheld_figures_in_words(
    feedback: FeedbackService, signer: StaffSigner
) -> None:
    session = feedback.complete_session(attendance=12, days_ago=20, provider="ggd", languages=("ar",))
    _answers(feedback, session, [{"useful": 5, "felt_safe": True}] * 6 + [{"useful": 4, "felt_safe": False}])
    _answers(feedback, session, [{"felt_safe": True}] * 5, language=None)  # "other" large enough to show "ar"
    with _as(feedback, signer, "provider_staff", "ggd") as ggd:
        page = ggd.get("/staff/reports/providers/ggd", params={"language": "ar"})
        link = re.search(r'href="(/staff/reports/providers/ggd\.csv[^"]*)"', page.text)
        assert link is not None
        exported = ggd.get(link.group(1).replace("&amp;", "&"))
        assert exported.status_code == 200
        assert exported.headers["content-type"].startswith("text/csv")
        assert "attachment" in exported.headers["content-disposition"]
        lines = exported.text.splitlines()
        assert "questions.useful.distribution.4,withheld to protect small groups" in lines and "language,ar" in lines
        api = feedback.client.get(
            "/api/v1/reports/providers/ggd.csv",
            params={"language": "ar"},
            headers=signer.headers("provider_staff", "ggd"),
        )
        assert exported.text == api.text
        per_session = ggd.get(f"/staff/reports/sessions/{session}.csv")
        assert "questions.felt_safe.no,withheld to protect small groups" in per_session.text.splitlines()
    exported = "SELECT count(*) FROM audit_log WHERE action = 'report.exported'"
    assert feedback.scalar(exported) == 3  # the page's two exports and the API's: each recorded


@pytest.mark.production_backend
def test_an_open_window_and_a_coordinators_choice_of_provider(feedback: FeedbackService, signer: StaffSigner) -> None:
    still_open = feedback.complete_session(attendance=8, days_ago=1, provider="ggd")
    feedback.complete_session(attendance=8, days_ago=30, provider="coa")
    with _as(feedback, signer, "coordinator") as coordinator:
        choice = coordinator.get("/staff/reports")
        assert choice.status_code == 200
        assert 'href="/staff/reports/providers/ggd"' in choice.text
        assert 'href="/staff/reports/providers/coa"' in choice.text
        # the password is changed on the scheduler, where BRUG_SCHEDULER_PUBLIC_URL says
        assert f'href="{feedback.settings.scheduler_public_url}/staff/password"' in choice.text
        waiting = coordinator.get(f"/staff/reports/sessions/{still_open}")
        assert waiting.status_code == 409 and "not released yet" in waiting.text
        listed = coordinator.get("/staff/reports/providers/ggd")
        assert "Released after" in listed.text and f"/staff/reports/sessions/{still_open}" not in listed.text
        dutch = coordinator.get("/staff/reports/providers/ggd", params={"lang": "nl"})
        assert 'lang="nl"' in dutch.text and "Feedbackrapport" in dutch.text
        assert coordinator.get("/staff/reports/sessions/nope").status_code == 404


def test_every_staff_text_has_a_dutch_translation() -> None:
    sources = [p for p in (ROOT / "services" / "feedback" / "staff").rglob("*") if p.suffix in (".html", ".py")]
    found = {m for path in sources for m in MESSAGE.findall(path.read_text())}
    assert len(found) > 40
    with (ROOT / "shared" / "locales" / "nl" / "LC_MESSAGES" / "staff-feedback.po").open("rb") as source:
        catalog = read_po(source)
    with (ROOT / "shared" / "locales" / "nl" / "LC_MESSAGES" / "brug.po").open("rb") as source:
        shared = read_po(source)
    missing = [
        m
        for m in sorted(found)
        if not (catalog.get(m) and catalog.get(m).string) and not (m in SHARED and shared.get(m))
    ]
    assert not missing, f"staff-feedback.po lacks {missing}"


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


@pytest.mark.production_backend
def test_a_coordinator_approves_or_shortens_comments_before_a_provider_reads_them(
    feedback: FeedbackService, signer: StaffSigner
) -> None:
    session = feedback.complete_session(attendance=12, days_ago=20, provider="ggd")
    _answers(feedback, session, [{"useful": 5}] * 6)
    with feedback.engine.begin() as connection:
        for i, text in enumerate(["The room was warm and kind", "Ask Fatima at the Keizersgracht desk"]):
            connection.execute(
                update(FeedbackResponse)
                .where(FeedbackResponse.id == f"{session[:20]}ar{i:010d}")
                .values(comment=text, comment_status="pending")
            )
    kind, named = (f"{session[:20]}ar{i:010d}" for i in range(2))
    with _as(feedback, signer, "provider_staff", "ggd") as ggd:
        assert ggd.get("/staff/comments").status_code == 403
        before = ggd.get(f"/staff/reports/sessions/{session}").text
        assert "warm and kind" not in before and "Fatima" not in before
    with _as(feedback, signer, "coordinator") as coordinator:
        page = coordinator.get("/staff/comments")
        assert page.status_code == 200 and "warm and kind" in page.text and "Fatima" in page.text
        assert coordinator.post(f"/staff/comments/{kind}", data={"action": "approve"}).status_code == 403  # no CSRF
        approved = coordinator.post(f"/staff/comments/{kind}", data={"action": "approve", "csrf": _csrf(page.text)})
        assert approved.status_code == 303
        shortened = coordinator.post(
            f"/staff/comments/{named}",
            data={"action": "redact", "text": "Ask at the desk", "csrf": _csrf(page.text)},
        )
        assert shortened.status_code == 303
        assert "No comments are waiting" in coordinator.get("/staff/comments").text
        again = coordinator.post(f"/staff/comments/{named}", data={"action": "approve", "csrf": _csrf(page.text)})
        assert again.status_code == 303  # a redacted comment may still be approved as it now reads
    with _as(feedback, signer, "provider_staff", "ggd") as ggd:
        after = ggd.get(f"/staff/reports/sessions/{session}").text
        assert "The room was warm and kind" in after and "Ask at the desk" in after and "Fatima" not in after
    decided = "SELECT count(*) FROM audit_log WHERE action IN ('comment.approved', 'comment.redacted')"
    assert feedback.scalar(decided) == 3


def test_filter_dates_are_whole_days_on_the_dutch_clock_and_bad_ones_are_named() -> None:
    chosen = read_filters("2026-12-01", "2026-12-31", " fa ", "women")
    start, end = chosen.window
    assert start.astimezone(UTC) == datetime(2026, 11, 30, 23, tzinfo=UTC)  # midnight in Amsterdam (CET)
    assert end.astimezone(UTC) == datetime(2026, 12, 31, 23, tzinfo=UTC)  # the last day included
    assert chosen.query() == "?from=2026-12-01&to=2026-12-31&language=fa&audience=women"
    assert service.matches(FeedbackSession(session_id="s", languages=["fa-AF"], audience="women"), "fa", "women")
    assert not service.matches(FeedbackSession(session_id="s", languages=["fas"], audience="women"), "fa", None)
    assert not service.matches(FeedbackSession(session_id="s", languages=["fa"], audience="men"), None, "women")
    wrong = read_filters("2026-12-31", "2026-12-01", "<script>", "pets")
    assert (wrong.start, wrong.end, wrong.language, wrong.audience) == (date(2026, 12, 31), None, None, None)
    assert sorted(wrong.invalid) == ["audience", "language", "to"]
    assert read_filters(None, None, None, None).query() == ""


def test_a_coordinator_sees_the_events_the_feedback_service_gave_up_on(
    feedback: FeedbackService, signer: StaffSigner
) -> None:
    """The feedback service's own page of dead letters (shared.pages.staff_dead_letters), linked from its bar."""
    with UnitOfWork(feedback.engine) as db:
        db.add(
            DeadLetter(
                consumer="feedback",
                stream="SCHEDULING",
                stream_seq=1,
                subject="scheduling.session.completed",
                reason="unknown version 9 of scheduling.session.completed",
            )
        )
    with _as(feedback, signer, "coordinator") as coordinator:
        reports = coordinator.get("/staff/reports")
        assert 'href="/staff/dead-letters">Events given up on</a>' in reports.text
        page = coordinator.get("/staff/dead-letters")
        assert page.status_code == 200
        assert "The feedback service could not apply these events" in page.text
        assert "unknown version 9 of scheduling.session.completed" in page.text
        assert "cannot be replayed" in page.text  # no event was kept
    with _as(feedback, signer, "provider_staff", "ggd") as provider:
        assert provider.get("/staff/dead-letters").status_code == 403
        assert "Events given up on" not in provider.get("/staff/reports").text
