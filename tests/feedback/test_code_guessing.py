"""Guessing feedback codes is rate-limited per client; right codes, and other clients, go on."""

from __future__ import annotations

from feedback.deps import CODE_GUESSES_PER_MINUTE
from feedback.tokens.minting import derive_token
from tests.feedback.conftest import FeedbackService

GUESS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


class Clock:
    def __init__(self) -> None:
        self.now = 5000.0

    def __call__(self) -> float:
        return self.now


def test_the_guess_after_the_limit_gets_429_until_the_window_has_passed(feedback: FeedbackService) -> None:
    clock = Clock()
    feedback.app.state.rate_limiter.clock = clock
    session = feedback.complete_session(attendance=3)
    card = derive_token(feedback.keys.token_secret, session, 0)
    guesser = {"X-Forwarded-For": "203.0.113.5"}  # uvicorn believes the header from 127.0.0.1, as from a proxy
    for i in range(CODE_GUESSES_PER_MINUTE):
        if i % 2:
            wrong = feedback.client.get(f"/api/v1/forms/{GUESS[:-2]}{i:02d}", headers=guesser)
        else:
            wrong = feedback.client.post(f"/api/v1/forms/{GUESS}{i}/responses", json={"answers": {}}, headers=guesser)
        assert wrong.status_code == 404, wrong.text
    clock.now += 15
    refused = feedback.client.get(f"/api/v1/forms/{card}", headers=guesser)  # even a right code now waits
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "45"
    assert refused.json()["error"] == "TooManyRequests"
    assert "Wait 45 seconds" in refused.json()["detail"]
    other = {"X-Forwarded-For": "198.51.100.20"}
    assert feedback.client.get(f"/api/v1/forms/{card}", headers=other).status_code == 200
    clock.now += 45
    assert feedback.client.get(f"/api/v1/forms/{card}", headers=guesser).status_code == 200


def test_right_codes_from_one_address_are_never_limited(feedback: FeedbackService) -> None:
    """A reception centre's Wi-Fi: everyone answers from one address."""
    session = feedback.complete_session(attendance=CODE_GUESSES_PER_MINUTE + 2)
    cards = [derive_token(feedback.keys.token_secret, session, i) for i in range(CODE_GUESSES_PER_MINUTE + 2)]
    codes = {
        feedback.client.post(f"/api/v1/forms/{c}/responses", json={"answers": {"useful": 4}}).status_code for c in cards
    }
    assert codes == {201}


def test_the_feedback_pages_count_wrong_codes_and_answer_with_a_page(feedback: FeedbackService) -> None:
    """Typed codes land on /f/{code}: a wrong one there counts as on the API, and the 429 is a page."""
    session = feedback.complete_session(attendance=3)
    card = derive_token(feedback.keys.token_secret, session, 0)
    guesser = {"X-Forwarded-For": "203.0.113.9"}
    for _ in range(3):  # a right code is never counted
        assert feedback.client.get(f"/f/{card}", headers=guesser).status_code == 200
    for i in range(CODE_GUESSES_PER_MINUTE):
        assert feedback.client.get(f"/f/{GUESS[:-2]}{i:02d}", headers=guesser).status_code == 404
    page = feedback.client.get(f"/f/{card}?lang=fr", headers=guesser)
    assert page.status_code == 429 and int(page.headers["Retry-After"]) > 0
    assert page.headers["content-type"].startswith("text/html") and "Veuillez patienter" in page.text
    api = feedback.client.get(f"/api/v1/forms/{card}", headers=guesser)
    assert api.status_code == 429 and api.json()["error"] == "TooManyRequests"
