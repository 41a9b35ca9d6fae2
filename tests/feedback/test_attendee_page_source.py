"""The HTML source of every attendee page of the feedback service, in every locale, names nothing.

Not only what the page shows (the browser tests check that): every attribute value, every
link's path and every script goes through the discretion guard (tests/support/page_source.py),
because a shared phone keeps the source too. The form's topics are sent as opaque ids (``t1``,
``t2``...) and read back to the catalogue's ids on submit.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from feedback.pages.labels import TOPIC_FIELD_VALUES
from feedback.tokens.minting import derive_token
from shared.i18n import SUPPORTED
from shared.sealing import generate_keypair
from shared.topics import TOPICS
from tests.feedback.conftest import FeedbackService
from tests.support.page_source import indiscretions
from tests.support.tokens import StaffSigner

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def _questionnaire(feedback: FeedbackService, signer: StaffSigner) -> str:
    body = {
        "provider_id": "ggd",
        "title": "A few more questions",
        "public_key": generate_keypair()[1],
        "questions": [{"id": "felt_heard", "kind": "faces", "text": {"en": "Did you feel heard?"}}],
    }
    made = feedback.client.post("/api/v1/questionnaires", json=body, headers=signer.headers("provider_staff", "ggd"))
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


def _answers(feedback: FeedbackService, session: str) -> dict[str, Any]:
    """The one stored answer of ``session`` (JSON text on SQLite, a dict from PostgreSQL)."""
    stored = feedback.scalar(f"SELECT answers FROM feedback_response WHERE session_id = '{session}'")
    return stored if isinstance(stored, dict) else json.loads(str(stored))


def _pages(feedback: FeedbackService, questionnaire: str, card: str, locale: str) -> dict[str, str]:
    """Each page an attendee of this card can reach, by name: its HTML source."""
    form = feedback.client.get(f"/f/{card}?lang={locale}")
    thanks = feedback.client.post(f"/f/{card}?lang={locale}", data={"csrf": CSRF.findall(form.text)[0], "useful": "4"})
    assert (form.status_code, thanks.status_code) == (200, 200), (locale, thanks.text[:300])
    pages = {"form": form, "thanks": thanks}
    pages["entry"] = feedback.client.get(f"/f?lang={locale}")
    pages["used"] = feedback.client.get(f"/f/{card}?lang={locale}")
    pages["unknown"] = feedback.client.get(f"/f/ZZZZZZZZZZZZ?lang={locale}")
    pages["sealed"] = feedback.client.get(f"/q/{questionnaire}?lang={locale}&key={card}")
    assert f'<html lang="{locale}"' in pages["sealed"].text
    return {name: page.text for name, page in pages.items()}


def test_no_attendee_page_in_any_locale_names_a_topic_in_its_source(
    feedback: FeedbackService, signer: StaffSigner
) -> None:
    questionnaire = _questionnaire(feedback, signer)
    session = feedback.complete_session(attendance=len(SUPPORTED), provider="ggd")
    found = {}
    for index, locale in enumerate(SUPPORTED):
        card = derive_token(feedback.keys.token_secret, session, index)
        for name, html in _pages(feedback, questionnaire, card, locale).items():
            if indiscretions(html):
                found[f"{locale} {name}"] = indiscretions(html)
    assert found == {}


def test_the_form_sends_opaque_topic_ids_and_they_are_stored_as_the_catalogues(feedback: FeedbackService) -> None:
    session = feedback.complete_session(attendance=2)
    card = derive_token(feedback.keys.token_secret, session, 0)
    form = feedback.client.get(f"/f/{card}?lang=en")
    values = re.findall(r'name="topics_next" value="([^"]+)"', form.text)
    assert values and all(re.fullmatch(r"t\d", value) for value in values), values
    chosen = [TOPIC_FIELD_VALUES["sexual_health"], TOPIC_FIELD_VALUES["health_system"]]
    sent = feedback.client.post(f"/f/{card}?lang=en", data={"csrf": CSRF.findall(form.text)[0], "topics_next": chosen})
    assert sent.status_code == 200 and 'class="card message thanks"' in sent.text
    assert feedback.mix_all(session) == 1
    assert _answers(feedback, session)["topics_next"] == ["health_system", "sexual_health"]


@pytest.mark.parametrize("value", ["t99", "weather", "t1x"])
def test_a_topic_value_the_form_never_offers_is_refused_kindly(feedback: FeedbackService, value: str) -> None:
    session = feedback.complete_session(attendance=1)
    card = derive_token(feedback.keys.token_secret, session, 0)
    form = feedback.client.get(f"/f/{card}?lang=en")
    sent = feedback.client.post(f"/f/{card}?lang=en", data={"csrf": CSRF.findall(form.text)[0], "topics_next": value})
    assert sent.status_code == 422 and "could not be read" in sent.text
    assert not any(topic in sent.text for topic in TOPICS)


def test_a_form_opened_before_topics_were_opaque_is_still_read(feedback: FeedbackService) -> None:
    """A page loaded before the change sent the catalogue's ids; its answer is not lost."""
    session = feedback.complete_session(attendance=1)
    card = derive_token(feedback.keys.token_secret, session, 0)
    form = feedback.client.get(f"/f/{card}?lang=en")
    sent = feedback.client.post(
        f"/f/{card}?lang=en", data={"csrf": CSRF.findall(form.text)[0], "topics_next": "family_planning"}
    )
    assert sent.status_code == 200
    assert feedback.mix_all(session) == 1
    assert _answers(feedback, session)["topics_next"] == ["family_planning"]


def test_every_topic_has_one_opaque_id_of_its_own() -> None:
    assert set(TOPIC_FIELD_VALUES) == set(TOPICS)
    assert len(set(TOPIC_FIELD_VALUES.values())) == len(TOPICS)
    assert all(re.fullmatch(r"t\d+", value) for value in TOPIC_FIELD_VALUES.values())
