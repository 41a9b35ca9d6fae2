"""Answering anonymously: a card once, the session link never beyond attendance, nothing traceable."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlalchemy import inspect, text

from feedback.pages.labels import TOPIC_FIELD_VALUES
from feedback.tokens.minting import derive_link, derive_token
from shared.discretion import sensitive_words_in
from shared.i18n import SUPPORTED
from shared.tls import client_context
from shared.topics import TOPICS
from tests.feedback.conftest import FeedbackService

ANSWERS = {
    "useful": 5,
    "felt_safe": True,
    "understood": True,
    "recommend": True,
    "knew_help_before": 2,
    "knows_help_after": 4,
    "topics_next": ["family_planning", "health_system"],
}


def _card(service: FeedbackService, session_id: str, index: int = 0) -> str:
    return derive_token(service.keys.token_secret, session_id, index)


def test_a_card_opens_the_form_in_the_attendees_language_with_the_public_title(feedback: FeedbackService) -> None:
    session = feedback.complete_session(attendance=3)
    form = feedback.client.get(f"/api/v1/forms/{_card(feedback, session)}", params={"locale": "fa-AF"}).json()
    assert form["title"] == "Thursday meeting"
    assert (form["locale"], form["direction"], form["question_set"]) == ("fa-AF", "rtl", 1)
    assert [q["id"] for q in form["questions"]][:2] == ["useful", "felt_safe"]


def test_the_form_has_the_title_in_the_readers_language_else_the_first_languages(feedback: FeedbackService) -> None:
    """Before: every form showed public_title, in whatever language the ambassador wrote it."""
    titles = {"ar": "لقاء الخميس"}
    session = feedback.complete_session(attendance=3, title="Donderdagmiddag", languages=("ar", "nl"), titles=titles)
    card = _card(feedback, session)
    shown = {
        locale: feedback.client.get(f"/api/v1/forms/{card}", params={"locale": locale}).json()["title"]
        for locale in ("ar", "nl", "ti")
    }
    assert shown == {"ar": "لقاء الخميس", "nl": "Donderdagmiddag", "ti": "لقاء الخميس"}


def test_a_card_answers_once_and_the_second_time_gets_a_kind_message(feedback: FeedbackService) -> None:
    session = feedback.complete_session(attendance=3)
    card = _card(feedback, session, 2).lower()  # typed in lower case
    first = feedback.client.post(f"/api/v1/forms/{card}/responses", json={"locale": "ar", "answers": ANSWERS})
    assert first.status_code == 201
    assert first.json()["status"] == "thanks"
    again = feedback.client.post(f"/api/v1/forms/{card}/responses", json={"answers": ANSWERS})
    assert again.status_code == 409
    assert again.json() == {
        "error": "AlreadyAnswered",
        "detail": "This card has been used already. Thank you: that answer was received.",
    }
    assert feedback.stored(session) == 1


def test_a_stored_answer_cannot_be_joined_back_to_its_card(feedback: FeedbackService) -> None:
    """No column links an answer to a card, a time of day, an address or an order of arrival (the
    attacks on what is stored, logged and written together: tests/security/test_anonymity_attacks.py)."""
    session = feedback.complete_session(attendance=3)
    card = _card(feedback, session)
    feedback.client.post(f"/api/v1/forms/{card}/responses", json={"answers": ANSWERS})
    feedback.mix_all(session)
    schema = inspect(feedback.engine)
    response_columns = {c["name"] for c in schema.get_columns("feedback_response")}
    assert response_columns == {
        "id",
        "session_id",
        "question_set",
        "submitted_on",
        "language",
        "answers",
        "comment",
        "comment_status",
    }
    assert {c["name"] for c in schema.get_columns("feedback_token")} == {
        "token_hash",
        "session_id",
        "expires_at",
        "used",
        "sealed_used",
        "link",
    }
    assert schema.get_foreign_keys("feedback_response") == []
    with feedback.engine.connect() as connection:
        row = connection.execute(text("SELECT id, submitted_on FROM feedback_response")).one()
    assert len(row.id) == 32 and not row.id.isdigit(), "a random id, not a sequence"
    assert str(row.submitted_on).count(":") == 0, "the date only"


def test_link_answers_are_capped_at_the_attendance_count_with_cards(feedback: FeedbackService) -> None:
    session = feedback.complete_session(attendance=3)
    feedback.client.post(f"/api/v1/forms/{_card(feedback, session)}/responses", json={"answers": ANSWERS})
    base = f"{str(feedback.client.base_url).rstrip('/')}/api/v1/forms"

    def from_a_new_phone(index: int) -> int:
        link = derive_link(feedback.keys.token_secret, session, index)
        return httpx.post(
            f"{base}/{link}/responses", json={"answers": ANSWERS}, timeout=30, verify=client_context()
        ).status_code

    with ThreadPoolExecutor(max_workers=3) as pool:
        codes = sorted(pool.map(from_a_new_phone, range(3)))
    assert codes == [201, 201, 409]
    assert feedback.stored(session) == 3


def test_a_personal_link_answers_once_whoever_holds_it(feedback: FeedbackService) -> None:
    session = feedback.complete_session(attendance=10)
    link = derive_link(feedback.keys.token_secret, session, 4)
    assert feedback.client.post(f"/api/v1/forms/{link}/responses", json={"answers": ANSWERS}).status_code == 201
    again = feedback.client.post(f"/api/v1/forms/{link}/responses", json={"answers": ANSWERS})
    assert again.status_code == 409
    assert again.json()["detail"] == "This link has been used already. Thank you: that answer was received."
    elsewhere = httpx.post(
        f"{feedback.client.base_url}/api/v1/forms/{link}/responses", json={"answers": ANSWERS}, verify=client_context()
    )
    assert (elsewhere.status_code, elsewhere.json()["error"]) == (409, "AlreadyAnswered"), (
        "another phone, the same link"
    )
    assert derive_link(feedback.keys.token_secret, session, 10) not in {
        derive_link(feedback.keys.token_secret, session, i) for i in range(10)
    }
    beyond = feedback.client.post(
        f"/api/v1/forms/{derive_link(feedback.keys.token_secret, session, 10)}/responses", json={"answers": ANSWERS}
    )
    assert beyond.status_code == 404, "one link per person counted, no more"
    shared = feedback.client.post(
        f"/api/v1/forms/{derive_link(feedback.keys.token_secret, session)}/responses", json={"answers": ANSWERS}
    )
    assert shared.status_code == 404, "no link shared by the whole session any more"


def test_free_text_is_scrubbed_on_receipt_and_waits_for_a_coordinator(feedback: FeedbackService) -> None:
    session = feedback.complete_session(attendance=3)
    comment = "Very good. Call me on 06 12345678 or write to amal@example.org"
    response = feedback.client.post(
        f"/api/v1/forms/{_card(feedback, session)}/responses", json={"answers": {"comment": comment}}
    )
    assert response.status_code == 201
    assert feedback.mix_all(session) == 1
    stored = feedback.scalar(
        f"SELECT comment || '|' || comment_status FROM feedback_response WHERE session_id = '{session}'"
    )
    assert stored == "Very good. Call me on [phone] or write to [email]|pending"


def test_an_address_in_free_text_is_scrubbed_on_receipt(feedback: FeedbackService) -> None:
    session = feedback.complete_session(attendance=3)
    comment = "I have 2 children aged 5 and 7. Visit me: Van Woustraat 12-3, 1073 LM, or nummer 12a"
    response = feedback.client.post(
        f"/api/v1/forms/{_card(feedback, session)}/responses", json={"answers": {"comment": comment}}
    )
    assert response.status_code == 201
    assert feedback.mix_all(session) == 1
    stored = feedback.scalar(f"SELECT comment FROM feedback_response WHERE session_id = '{session}'")
    assert stored == "I have 2 children aged 5 and 7. Visit me: [address], or nummer [number]"


@pytest.mark.parametrize(
    ("answers", "detail"),
    [
        ({"useful": 6}, "useful: choose a face from 1 to 5"),
        ({"useful": True}, "useful: choose a face from 1 to 5"),
        ({"felt_safe": "yes"}, "felt_safe: answer yes (true) or no (false)"),
        ({"topics_next": ["weather"]}, "topics_next: choose from"),
        ({"topics_next": [{"t1": True}]}, "topics_next: choose from"),
        ({"topics_next": "t1"}, "topics_next: choose from"),
        ({"comment": "x" * 501}, "comment: write at most 500 characters"),
        ({"favourite_colour": "blue"}, "this form has no question favourite_colour"),
    ],
)
def test_a_bad_answer_is_refused_and_nothing_is_stored_or_used(
    feedback: FeedbackService, answers: dict[str, object], detail: str
) -> None:
    session = feedback.complete_session(attendance=3)
    card = _card(feedback, session)
    response = feedback.client.post(f"/api/v1/forms/{card}/responses", json={"answers": answers})
    assert response.status_code == 422
    assert response.json()["error"] == "BadAnswer"
    assert detail in response.json()["detail"]
    assert feedback.stored(session) == 0
    assert feedback.client.post(f"/api/v1/forms/{card}/responses", json={"answers": ANSWERS}).status_code == 201


def test_an_unknown_or_guessed_code_is_a_clear_404(feedback: FeedbackService) -> None:
    response = feedback.client.get("/api/v1/forms/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
    assert response.status_code == 404
    assert response.json()["error"] == "FormNotFound"
    assert "letter by letter" in response.json()["detail"]


@pytest.mark.parametrize("locale", SUPPORTED)
def test_the_forms_json_names_no_topic(feedback: FeedbackService, locale: str) -> None:
    """The JSON form an attendee's phone may open offers topics under opaque values with their discreet
    names, as the page does (before: the 8 internal ids, ``sexual_health`` among them, as options)."""
    session = feedback.complete_session(attendance=3)
    card = _card(feedback, session)
    form = feedback.client.get(f"/api/v1/forms/{card}", params={"locale": locale})
    assert form.status_code == 200
    assert sensitive_words_in(form.text) == []
    [topics] = [q for q in form.json()["questions"] if q["kind"] == "topics"]
    assert topics["options"] == [TOPIC_FIELD_VALUES[topic] for topic in TOPICS]
    assert len(topics["labels"]) == len(TOPICS) and all(topics["labels"])
    refused = feedback.client.post(f"/api/v1/forms/{card}/responses", json={"answers": {"topics_next": ["weather"]}})
    assert refused.status_code == 422 and sensitive_words_in(refused.text) == []


def test_topics_are_answered_by_the_forms_values_and_stored_as_topics(feedback: FeedbackService) -> None:
    session = feedback.complete_session(attendance=3)
    chosen = [TOPIC_FIELD_VALUES["sexual_health"], TOPIC_FIELD_VALUES["health_system"]]
    sent = feedback.client.post(
        f"/api/v1/forms/{_card(feedback, session)}/responses", json={"answers": {"topics_next": chosen}}
    )
    assert sent.status_code == 201, sent.text
    feedback.mix_all(session)
    stored = feedback.scalar(f"SELECT answers FROM feedback_response WHERE session_id = '{session}'")
    answers = stored if isinstance(stored, dict) else json.loads(str(stored))
    assert answers["topics_next"] == ["health_system", "sexual_health"]
