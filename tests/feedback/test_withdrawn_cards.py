"""An undone completion (scheduling.session.reopened) withdraws the cards and links that have not answered;
a used card stays used, and the session's new completion mints only the others."""

from __future__ import annotations

import asyncio

from feedback.tokens.minting import derive_token
from shared.events import SessionCompleted, SessionReopened, utcnow
from tests.feedback.conftest import FeedbackService, _publish
from tests.feedback.test_forms_api import ANSWERS
from tests.support.servers import wait_until

TOKENS = "SELECT count(*) FROM feedback_token WHERE session_id = '{}'"


def _send(feedback: FeedbackService, *events: object) -> None:
    asyncio.run(_publish(feedback.nats_url, list(events), occurred_at=utcnow()))


def test_a_reopened_session_loses_its_unused_cards_and_links(feedback: FeedbackService) -> None:
    session = feedback.complete_session(attendance=3)  # three cards and three personal links
    assert feedback.scalar(TOKENS.format(session)) == 6
    used = derive_token(feedback.keys.token_secret, session, 0)
    assert feedback.client.post(f"/api/v1/forms/{used}/responses", json={"answers": ANSWERS}).status_code == 201

    _send(feedback, SessionReopened(session_id=session))
    wait_until(lambda: feedback.scalar(TOKENS.format(session)) == 1, message="the unused cards to be withdrawn")
    unused = derive_token(feedback.keys.token_secret, session, 1)
    assert feedback.client.get(f"/f/{unused}").status_code == 404
    assert feedback.stored(session) == 1  # the answer given stays

    again = SessionCompleted(session_id=session, attendance=4, walk_ins=0, attended_booking_codes=[], audience="women")
    _send(feedback, again)
    wait_until(lambda: feedback.scalar(TOKENS.format(session)) == 8, message="the new completion's cards")
    assert feedback.client.get(f"/f/{unused}").status_code == 200
    answered = feedback.client.post(f"/api/v1/forms/{used}/responses", json={"answers": ANSWERS})
    assert answered.status_code != 201  # the used card answered once, before the undo
