"""The feedback window closes BRUG_FEEDBACK_TOKEN_DAYS after completion at the same time on the venue's
clock, across both DST changes (Europe/Amsterdam: 29 March and 25 October 2026)."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from feedback.tokens.window import closes
from shared.events import SessionCompleted, SessionPublished
from tests.feedback.conftest import FeedbackService, _publish
from tests.support.servers import wait_until

ZONE = "Europe/Amsterdam"


@pytest.mark.parametrize(
    ("completed", "closed"),
    [
        # 19:00 summer time on 20 October; the clocks go back on the 25th: 19:00 winter time, 18:00 UTC
        (datetime(2026, 10, 20, 17, tzinfo=UTC), datetime(2026, 11, 3, 18, tzinfo=UTC)),
        # 19:00 winter time on 20 March; the clocks go forward on the 29th: 19:00 summer time, 17:00 UTC
        (datetime(2026, 3, 20, 18, tzinfo=UTC), datetime(2026, 4, 3, 17, tzinfo=UTC)),
        # no change in between: fourteen days of 24 hours
        (datetime(2026, 12, 7, 18, tzinfo=UTC), datetime(2026, 12, 21, 18, tzinfo=UTC)),
    ],
)
def test_the_window_closes_at_the_same_time_on_the_venues_clock(completed: datetime, closed: datetime) -> None:
    assert closes(completed, 14, ZONE) == closed
    assert closes(completed.replace(tzinfo=None), 14, None) == completed + timedelta(days=14)  # zone unknown: UTC


def test_the_cards_of_a_session_completed_before_the_autumn_change_expire_on_its_clock(
    feedback: FeedbackService,
) -> None:
    session_id, completed = uuid.uuid4().hex, datetime(2026, 10, 20, 17, tzinfo=UTC)
    published = SessionPublished(
        session_id=session_id,
        public_title="Tuesday evening",
        venue_public_name="Keizersgracht 12",
        address="x",
        starts_at=completed,
        ends_at=completed,
        timezone=ZONE,
        languages=["ar"],
        audience="women",
        capacity=20,
        provider_id="ggd",
    )
    done = SessionCompleted(
        session_id=session_id, attendance=2, walk_ins=2, attended_booking_codes=[], audience="women"
    )
    asyncio.run(_publish(feedback.nats_url, [published, done], occurred_at=completed))
    sql = f"SELECT min(expires_at) FROM feedback_token WHERE session_id = '{session_id}'"
    expires = wait_until(lambda: feedback.scalar(sql), message="the cards to be minted")
    stored = expires if isinstance(expires, datetime) else datetime.fromisoformat(str(expires))
    assert stored.replace(tzinfo=None) == datetime(2026, 11, 3, 18)  # 19:00 in Amsterdam, as completed
