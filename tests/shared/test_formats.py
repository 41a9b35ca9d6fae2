"""Dates, hours, lists and language names in every locale, against the text a reader should see.

One fixed moment, Thursday 4 March 2027 14:00 in Amsterdam (and a December morning, whose month
names and hours were the ones abbreviated or unpadded), rendered in each of the 15 locales.
Before shared.formats the skeletons gave, among others, ``4 adr, pşm 14:00`` (ku),
``پنجشنبه, مارچ 4 14:00`` (fa-AF), ``Khms, Mar 4 14:00`` (so), ``ሓሙ፣ 4 መጋ 14:00`` (ti).
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime

import pytest

from shared.formats import PATTERNS, format_day, format_hours, format_items, format_when, language_name
from shared.i18n import SUPPORTED

STARTS = datetime(2027, 3, 4, 13, 0, tzinfo=UTC)  # 14:00 CET
ENDS = datetime(2027, 3, 4, 15, 0, tzinfo=UTC)
DECEMBER = datetime(2027, 12, 9, 8, 30, tzinfo=UTC)  # a Thursday, 09:30 CET
ZONE = "Europe/Amsterdam"

#: locale → (SMS and notices: format_when; a session's page: format_day; format_when in December)
EXPECTED: dict[str, tuple[str, str, str]] = {
    "nl": ("donderdag 4 maart 14:00", "donderdag 4 maart 2027", "donderdag 9 december 09:30"),
    "en": ("Thursday 4 March 14:00", "Thursday 4 March 2027", "Thursday 9 December 09:30"),
    "ar": ("الخميس، 4 مارس 14:00", "الخميس، 4 مارس 2027", "الخميس، 9 ديسمبر 09:30"),
    "fa": ("پنجشنبه 4 مارس 14:00", "پنجشنبه 4 مارس 2027", "پنجشنبه 9 دسامبر 09:30"),
    "fa-AF": ("پنجشنبه 4 مارچ 14:00", "پنجشنبه 4 مارچ 2027", "پنجشنبه 9 دسمبر 09:30"),
    "ps": ("پنج شنبه 4 مارچ 14:00", "پنج شنبه 4 مارچ 2027", "پنج شنبه 9 دسمبر 09:30"),
    "ti": ("ሓሙስ፣ 4 መጋቢት 14:00", "ሓሙስ፣ 4 መጋቢት 2027", "ሓሙስ፣ 9 ታሕሳስ 09:30"),
    "so": ("Khamiis, Maarso 4, 14:00", "Khamiis, Maarso 4, 2027", "Khamiis, Diseembar 9, 09:30"),
    "tr": ("4 Mart Perşembe 14:00", "4 Mart 2027 Perşembe", "9 Aralık Perşembe 09:30"),
    "uk": ("четвер, 4 березня 14:00", "четвер, 4 березня 2027 р.", "четвер, 9 грудня 09:30"),
    "ru": ("четверг, 4 марта 14:00", "четверг, 4 марта 2027 г.", "четверг, 9 декабря 09:30"),
    "fr": ("jeudi 4 mars 14:00", "jeudi 4 mars 2027", "jeudi 9 décembre 09:30"),
    "ku": ("pêncşem, 4ê adarê 14:00", "pêncşem, 4ê adara 2027an", "pêncşem, 9ê berfanbarê 09:30"),
    "ckb": ("پێنجشەممە 4 ئازار 14:00", "پێنجشەممە 4 ئازار 2027", "پێنجشەممە 9 کانونی یەکەم 09:30"),
    "am": ("ሐሙስ 4 ማርች 14:00", "ሐሙስ 4 ማርች 2027", "ሐሙስ 9 ዲሴምበር 09:30"),
}


def test_every_locale_has_patterns_and_expected_text() -> None:
    assert set(PATTERNS) == set(SUPPORTED) == set(EXPECTED)


@pytest.mark.parametrize("locale", SUPPORTED)
def test_days_are_written_out_in_full_in_the_locales_own_words(locale: str) -> None:
    when, day, december = EXPECTED[locale]
    assert format_when(STARTS, ZONE, locale) == when
    assert format_day(STARTS, ZONE, locale) == day
    assert format_when(DECEMBER, ZONE, locale) == december


@pytest.mark.parametrize("locale", SUPPORTED)
def test_digits_are_latin_in_every_locale(locale: str) -> None:
    """Persian and Pashto default to Persian digits in CLDR; Brug's codes and numbers are Latin."""
    shown = format_when(DECEMBER, ZONE, locale) + format_day(STARTS, ZONE, locale)
    digits = [ch for ch in shown if unicodedata.category(ch) == "Nd"]
    assert digits and all("0" <= ch <= "9" for ch in digits), shown


def test_a_regional_variant_uses_its_languages_patterns() -> None:
    assert format_when(STARTS, ZONE, "ar-SY") == EXPECTED["ar"][0]
    assert format_when(STARTS, ZONE, "de") == EXPECTED["en"][0]


def test_hours_are_24_hour_and_padded_in_the_venues_zone() -> None:
    assert format_hours(STARTS, ENDS, ZONE) == "14:00 – 16:00"
    assert format_hours(DECEMBER, DECEMBER.replace(hour=10), ZONE) == "09:30 – 11:30"
    assert format_hours(STARTS, ENDS, "Europe/Istanbul") == "16:00 – 18:00"


def test_times_are_shown_in_the_venues_zone_across_the_dst_change() -> None:
    before = datetime(2026, 3, 28, 13, 0, tzinfo=UTC)  # CET, UTC+1
    after = datetime(2026, 3, 29, 13, 0, tzinfo=UTC)  # CEST, UTC+2
    assert format_when(before, "Europe/Amsterdam", "nl") == "zaterdag 28 maart 14:00"
    assert format_when(after, "Europe/Amsterdam", "nl") == "zondag 29 maart 15:00"
    assert format_when(after, "Europe/Istanbul", "tr").endswith("16:00")


#: page locale → the languages ar, fa-AF and ku named and listed as that locale writes them
LISTED: dict[str, str] = {
    "nl": "Arabisch, Dari en Koerdisch (Kurmanci)",
    "en": "Arabic, Dari, and Kurdish (Kurmanji)",
    "ar": "العربية والدارية والكردية (الكرمانجية)",
    "fa": "عربی،\u200f دری، و کردی (کرمانجی)",
    "fa-AF": "عربی،\u200f دری، و کردی (کرمانجی)",
    "ps": "عربي، دري، او کردي (کرمانجي)",
    "ti": "ዓረብኛ፣ ዳሪን ኩርዲሽ ኩርማንጂን",
    "so": "Carabi, Dari iyo Kurdishka (Kurmanji)",
    "tr": "Arapça, Darice ve Kürtçe (Kurmanci)",
    "uk": "арабська, дарі і курдська (курманджі)",
    "ru": "арабский, дари и курдский (курманджи)",
    "fr": "arabe, dari et kurde (kurmandji)",
    "ku": "erebî, derî û kurdî (kurmancî)",
    "ckb": "عەرەبی، دەری و کوردی (کورمانجی)",
    "am": "ዓረብኛ፣ ዳሪ እና ኩርድኛ (ኩርማንጂ)",
}


@pytest.mark.parametrize("locale", SUPPORTED)
def test_languages_are_named_and_listed_as_the_page_locale_writes_them(locale: str) -> None:
    listed = format_items([language_name(code, locale) or code for code in ("ar", "fa-AF", "ku")], locale)
    assert listed == LISTED[locale]


@pytest.mark.parametrize("locale", ["ar", "fa", "fa-AF", "ps", "ti", "ckb", "am"])
def test_right_to_left_and_ethiopic_lists_have_no_latin_comma(locale: str) -> None:
    assert ", " not in format_items(["x", "y", "z"], locale)


def test_dari_and_kurmanji_are_not_named_as_persian_or_plain_kurdish() -> None:
    assert (language_name("fa-AF", "en"), language_name("fa-AF", "fa-AF")) == ("Dari", "دری")
    assert language_name("prs", "nl") == "Dari" and language_name("kmr", "ku") == "kurdî (kurmancî)"
    assert all("Afghanistan" not in (language_name("fa-AF", locale) or "") for locale in SUPPORTED)
    assert (language_name("ckb", "en"), language_name("ckb", "ckb")) == ("Kurdish (Sorani)", "کوردی (سۆرانی)")
    assert language_name("ku", "ckb") == "کوردی (کورمانجی)" and language_name("am", "am") == "አማርኛ"
    assert language_name("ar", "nl") == "Arabisch" and language_name("zz", "nl") is None


def test_a_list_in_a_locale_brug_does_not_support_is_english() -> None:
    assert format_items(["a", "b"], "de") == "a and b"
    assert format_items(["a"], "fa") == "a" and format_items([], "ti") == ""
