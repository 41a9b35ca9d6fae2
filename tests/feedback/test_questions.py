"""Question sets per session kind, and their texts in every locale's catalog."""

from __future__ import annotations

import pytest
from babel.messages.pofile import read_po

from feedback.forms.questions import CURRENT_SETS, QUESTION_SETS, all_questions, current_set
from feedback.tokens.minting import derive_token
from shared.discretion import sensitive_words_in
from shared.i18n import SUPPORTED, catalog_path, translate
from tests.feedback.conftest import FeedbackService

TRANSLATED = [locale for locale in SUPPORTED if locale != "en"]


@pytest.mark.parametrize("locale", TRANSLATED)
def test_every_catalog_translates_every_question_of_every_set(locale: str) -> None:
    with catalog_path(locale).open("rb") as source:
        catalog = read_po(source)
    for question in all_questions():
        message = catalog.get(question.text)
        assert message is not None and message.string, f"{locale} lacks: {question.text}"
        assert not message.fuzzy, f"{locale}: fuzzy translation for: {question.text}"
        assert message.string != question.text, f"{locale}: left in English: {question.text}"
        assert not sensitive_words_in(message.string), f"{locale}: {message.string}"


def test_sets_are_numbered_once_and_a_question_id_keeps_its_kind() -> None:
    assert all(number == question_set.version for number, question_set in QUESTION_SETS.items())
    assert set(CURRENT_SETS.values()) <= set(QUESTION_SETS)
    kinds: dict[str, str] = {}
    for question_set in QUESTION_SETS.values():
        for question in question_set.questions:
            assert kinds.setdefault(question.id, question.kind) == question.kind, question.id
    assert current_set("women").version == 1 and current_set("youth").version == 2


@pytest.mark.parametrize(
    ("asked", "chosen", "direction"),
    [("ar", "ar", "rtl"), ("ar-SY", "ar", "rtl"), ("fa-AF", "fa-AF", "rtl"), ("ti", "ti", "ltr"), ("de", "en", "ltr")],
)
def test_the_form_comes_in_the_asked_locale_or_the_nearest_one(
    feedback: FeedbackService, asked: str, chosen: str, direction: str
) -> None:
    session = feedback.complete_session(attendance=2)
    card = derive_token(feedback.keys.token_secret, session, 0)
    form = feedback.client.get(f"/api/v1/forms/{card}", params={"locale": asked}).json()
    assert (form["locale"], form["direction"]) == (chosen, direction)
    texts = {q["id"]: q["text"] for q in form["questions"]}
    assert texts == {q.id: translate(chosen, q.text) for q in current_set("women").questions}
    if chosen == "ar":
        assert texts["felt_safe"] == "هل شعرت بالأمان هنا؟"
    if chosen == "en":
        assert texts["felt_safe"] == "Did you feel safe here?"


def test_a_youth_session_gets_its_own_set_and_answers_are_stored_with_its_number(feedback: FeedbackService) -> None:
    session = feedback.complete_session(attendance=3, audience="youth")
    card = derive_token(feedback.keys.token_secret, session, 0)
    form = feedback.client.get(f"/api/v1/forms/{card}", params={"locale": "so"}).json()
    assert form["question_set"] == 2
    assert "knew_help_before" not in [q["id"] for q in form["questions"]]
    refused = feedback.client.post(f"/api/v1/forms/{card}/responses", json={"answers": {"knew_help_before": 2}})
    assert (refused.status_code, refused.json()["error"]) == (422, "BadAnswer")
    answered = feedback.client.post(f"/api/v1/forms/{card}/responses", json={"answers": {"knows_help_after": 4}})
    assert answered.status_code == 201
    feedback.mix_all(session)
    assert feedback.scalar(f"SELECT question_set FROM feedback_response WHERE session_id = '{session}'") == 2
