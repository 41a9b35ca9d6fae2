"""Every message in every locale: discreet, short enough, in the attendee's language."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from notifier.deliveries.messages import MESSAGES, MessageFacts, render
from notifier.deliveries.sms import segments
from shared.discretion import SENSITIVE, DiscretionError, sensitive_words_in
from shared.i18n import SUPPORTED

#: realistic values: a public title and a venue public name as coordinators write them.
FACTS = MessageFacts(
    title="Thursday afternoon meeting",
    starts_at=datetime(2026, 12, 3, 13, 0, tzinfo=UTC),
    timezone="Europe/Amsterdam",
    place="Keizersgracht 123, Amsterdam",
    code="K7QF-93XA",
    position=12,
    link="https://brug.example.org/f/s/8fK2mQ",
)


@pytest.mark.parametrize("locale", SUPPORTED)
@pytest.mark.parametrize("kind", sorted(MESSAGES))
def test_every_message_in_every_locale_is_discreet(kind: str, locale: str) -> None:
    text = render(kind, locale, FACTS)
    assert sensitive_words_in(text) == []
    if "{title}" in MESSAGES[kind]:
        assert "Thursday afternoon meeting" in text


@pytest.mark.parametrize("locale", SUPPORTED)
def test_every_reminder_fits_in_two_sms_segments(locale: str) -> None:
    assert segments(render("reminder", locale, FACTS)) <= 2


def test_a_message_is_in_the_attendees_language_at_the_venues_time() -> None:
    assert render("confirmation", "nl", FACTS) == (
        "Je hebt een gratis plek: Thursday afternoon meeting, do 3 dec 14:00, Keizersgracht 123, Amsterdam. "
        "Je code: K7QF-93XA"
    )
    assert render("confirmation", "en-GB", FACTS).startswith("You have a free place")
    assert render("reminder", "ar", FACTS).startswith("تذكير")
    assert render("reminder", "fa-AF", FACTS).startswith("یادآوری")


@pytest.mark.parametrize(
    "title",
    ["Sexual health evening", "Avond over huiselijk geweld", "لقاء حول العنف", "Cinsel sağlık", "Проти насильства"],
)
def test_the_guard_refuses_a_title_that_names_the_topic_without_echoing_it(title: str) -> None:
    facts = MessageFacts(**{**FACTS.__dict__, "title": title})
    with pytest.raises(DiscretionError) as refused:
        render("reminder", "nl", facts)
    assert title not in str(refused.value)
    assert "'reminder' in nl" in str(refused.value)


def test_the_sensitive_word_list_covers_every_supported_language() -> None:
    assert {locale.split("-")[0] for locale in SUPPORTED} <= set(SENSITIVE)
