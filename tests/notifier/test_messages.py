"""Every message in every locale: discreet, short enough, in the attendee's language, its Latin title and
Dutch address isolated in a right-to-left SMS when that costs nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from notifier.deliveries.messages import FSI, MESSAGES, PDI, MessageFacts, render, sms_text
from notifier.deliveries.sms import encoding, segments
from shared.discretion import SENSITIVE, DiscretionError, sensitive_words_in
from shared.i18n import SUPPORTED, text_direction

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
        "Je hebt een gratis plek: Thursday afternoon meeting, donderdag 3 december 14:00, Keizersgracht 123, Amsterdam. "
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


RIGHT_TO_LEFT = [locale for locale in SUPPORTED if text_direction(locale) == "rtl"]


def _without_isolates(text: str) -> str:
    return text.replace(FSI, "").replace(PDI, "")


@pytest.mark.parametrize("locale", SUPPORTED)
@pytest.mark.parametrize("kind", sorted(MESSAGES))
def test_isolates_never_change_an_sms_encoding_or_its_segments(kind: str, locale: str) -> None:
    plain, sms = render(kind, locale, FACTS), sms_text(kind, locale, FACTS)
    assert _without_isolates(sms) == plain
    assert (encoding(sms), segments(sms)) == (encoding(plain), segments(plain))
    if encoding(plain) == "GSM-7" or text_direction(locale) == "ltr":  # a Latin title in a left-to-right text
        assert sms == plain


@pytest.mark.parametrize("locale", RIGHT_TO_LEFT)
def test_a_right_to_left_sms_isolates_its_latin_title_and_dutch_address(locale: str) -> None:
    assert RIGHT_TO_LEFT == ["ar", "fa", "fa-AF", "ps", "ckb"]
    sms = sms_text("reminder", locale, FACTS)
    assert f"{FSI}Thursday afternoon meeting{PDI}" in sms
    assert f"{FSI}Keizersgracht 123, Amsterdam{PDI}" in sms
    assert sms.count(FSI) == sms.count(PDI) == 2


def test_a_title_in_the_texts_own_direction_is_not_isolated() -> None:
    persian = MessageFacts(**{**FACTS.__dict__, "title": "دیدار پنجشنبه"})
    assert sms_text("reminder", "fa", persian).count(FSI) == 1  # the Dutch address only
    arabic_in_russian = MessageFacts(**{**FACTS.__dict__, "title": "لقاء الخميس"})
    assert f"{FSI}لقاء الخميس{PDI}" in sms_text("reminder", "ru", arabic_in_russian)
    assert FSI not in sms_text("reminder", "ru", FACTS)


@pytest.mark.parametrize("units", [70, 134])
def test_no_isolates_when_they_would_cost_another_segment(units: int) -> None:
    """A title that fills the text to the last unit of its segments: four more would need another."""
    short = MessageFacts(**{**FACTS.__dict__, "title": "Meeting"})
    room = units - len(render("booking_cancelled", "ar", short).encode("utf-16-le")) // 2
    facts = MessageFacts(**{**FACTS.__dict__, "title": "Meeting" + "s" * room})
    full = render("booking_cancelled", "ar", facts)
    assert len(full.encode("utf-16-le")) // 2 == units and segments(full) == (1 if units == 70 else 2)
    assert sms_text("booking_cancelled", "ar", facts) == full
    roomy = MessageFacts(**{**facts.__dict__, "title": facts.title[:-4]})
    assert FSI in sms_text("booking_cancelled", "ar", roomy)
