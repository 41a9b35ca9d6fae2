"""Dates, times, lists and language names in the reader's locale (docs/LOCALES.md shows each).

Dates use an explicit CLDR pattern per locale, not a skeleton: Babel matches
a skeleton to the nearest pattern the locale's data has, and for many of our
locales that drops the full names asked for (``Khms, Maarso 4`` in Somali,
``4 adr, pşm`` in Kurmanji, ``پنجشنبه, مارچ 4`` in Dari). Weekdays and months
are spelled out in full, in the locale's own words (Babel's CLDR 49 data has
them for all 15 locales; tests/shared/test_formats.py holds the expected text
of each). Times are 24-hour ``HH:mm``. Digits are Latin everywhere, like the
codes and phone numbers on the same page or SMS.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.dates import format_datetime
from babel.lists import format_list

from shared.i18n import negotiate

__all__ = [
    "PATTERNS",
    "LANGUAGE_NAMES",
    "OWN_LISTS",
    "format_when",
    "format_day",
    "format_hours",
    "format_items",
    "language_name",
]


#: locale → (day and time, no year; day with year). Built from each locale's CLDR full date
#: pattern (``date_formats['full']``), so word order, commas (Arabic ``،``, Ethiopic ``፣``) and
#: suffixes (Kurmanji ``4ê adara 2027an``) are the locale's; English in the British order, as
#: Brug's other English texts. Somali keeps CLDR's ``Maarso 4`` order, so a comma parts the day
#: from the hour.
PATTERNS: dict[str, tuple[str, str]] = {
    "nl": ("EEEE d MMMM HH:mm", "EEEE d MMMM y"),
    "en": ("EEEE d MMMM HH:mm", "EEEE d MMMM y"),
    "ar": ("EEEE، d MMMM HH:mm", "EEEE، d MMMM y"),
    "fa": ("EEEE d MMMM HH:mm", "EEEE d MMMM y"),
    "fa-AF": ("EEEE d MMMM HH:mm", "EEEE d MMMM y"),
    "ps": ("EEEE d MMMM HH:mm", "EEEE d MMMM y"),
    "ti": ("EEEE፣ d MMMM HH:mm", "EEEE፣ d MMMM y"),
    "so": ("EEEE, MMMM d, HH:mm", "EEEE, MMMM d, y"),
    "tr": ("d MMMM EEEE HH:mm", "d MMMM y EEEE"),
    "uk": ("EEEE, d MMMM HH:mm", "EEEE, d MMMM y 'р'."),
    "ru": ("EEEE, d MMMM HH:mm", "EEEE, d MMMM y 'г'."),
    "fr": ("EEEE d MMMM HH:mm", "EEEE d MMMM y"),
    "ku": ("EEEE, d'ê' MMMM'ê' HH:mm", "EEEE, d'ê' MMMM'a' y'an'"),
    "ckb": ("EEEE d MMMM HH:mm", "EEEE d MMMM y"),
    "am": ("EEEE d MMMM HH:mm", "EEEE d MMMM y"),
}

#: Names CLDR lacks or gets wrong for us, by the language named, then the page's locale. CLDR has
#: no Dari (``fa-AF`` reads "Persian (Afghanistan)"), and its ``ku`` reads "Kurdish", which a Sorani
#: speaker would pick too. Written by the Brug team, not yet reviewed (docs/LOCALES.md).
LANGUAGE_NAMES: dict[str, dict[str, str]] = {
    "fa-AF": {
        "nl": "Dari",
        "en": "Dari",
        "ar": "الدارية",
        "fa": "دری",
        "fa-AF": "دری",
        "ps": "دري",
        "ti": "ዳሪ",
        "so": "Dari",
        "tr": "Darice",
        "uk": "дарі",
        "ru": "дари",
        "fr": "dari",
        "ku": "derî",
        "ckb": "دەری",
        "am": "ዳሪ",
    },
    "ku": {
        "nl": "Koerdisch (Kurmanci)",
        "en": "Kurdish (Kurmanji)",
        "ar": "الكردية (الكرمانجية)",
        "fa": "کردی (کرمانجی)",
        "fa-AF": "کردی (کرمانجی)",
        "ps": "کردي (کرمانجي)",
        "ti": "ኩርዲሽ ኩርማንጂ",
        "so": "Kurdishka (Kurmanji)",
        "tr": "Kürtçe (Kurmanci)",
        "uk": "курдська (курманджі)",
        "ru": "курдский (курманджи)",
        "fr": "kurde (kurmandji)",
        "ku": "kurdî (kurmancî)",
        "ckb": "کوردی (کورمانجی)",
        "am": "ኩርድኛ (ኩርማንጂ)",
    },
    "ckb": {
        "nl": "Koerdisch (Sorani)",
        "en": "Kurdish (Sorani)",
        "ar": "الكردية (السورانية)",
        "fa": "کردی (سورانی)",
        "fa-AF": "کردی (سورانی)",
        "ps": "کردي (سوراني)",
        "ti": "ኩርዲሽ ሶራኒ",
        "so": "Kurdishka (Sorani)",
        "tr": "Kürtçe (Sorani)",
        "uk": "курдська (сорані)",
        "ru": "курдский (сорани)",
        "fr": "kurde (sorani)",
        "ku": "kurdî (soranî)",
        "ckb": "کوردی (سۆرانی)",
        "am": "ኩርድኛ (ሶራኒ)",
    },
}


def _pattern(locale: str, which: int) -> tuple[str, str]:
    chosen = negotiate(locale)
    return PATTERNS[chosen][which], chosen.replace("-", "_")


def format_when(moment: datetime, timezone: str, locale: str) -> str:
    """The day and hour in the venue's zone, no year (SMS, notices): ``donderdag 4 maart 14:00``."""
    pattern, babel = _pattern(locale, 0)
    return format_datetime(moment, pattern, tzinfo=ZoneInfo(timezone), locale=babel)


def format_day(moment: datetime, timezone: str, locale: str) -> str:
    """The day in the venue's zone, with the year (a session's page): ``donderdag 4 maart 2027``."""
    pattern, babel = _pattern(locale, 1)
    return format_datetime(moment, pattern, tzinfo=ZoneInfo(timezone), locale=babel)


def format_hours(starts: datetime, ends: datetime, timezone: str) -> str:
    """``14:00 – 16:00`` in the venue's zone, the same in every locale."""
    zone = ZoneInfo(timezone)
    return " – ".join(moment.astimezone(zone).strftime("%H:%M") for moment in (starts, ends))


#: list separators (between items, before the last) where CLDR has none: its Sorani data falls
#: back to the root pattern, a Latin ``, `` and no "and".
OWN_LISTS: dict[str, tuple[str, str]] = {"ckb": ("، ", " و ")}


def format_items(items: Iterable[str], locale: str) -> str:
    """A list as the locale writes it (``A، B و C`` in Persian, ``A፣ Bን Cን`` in Tigrinya).

    Babel has list patterns for 14 of the 15 locales (tests/shared/test_formats.py), Sorani's are
    ``OWN_LISTS``; any other tag is first negotiated to one of them (``de`` → English).
    """
    chosen, listed = negotiate(locale), list(items)
    if chosen in OWN_LISTS and len(listed) > 1:
        between, before_last = OWN_LISTS[chosen]
        return between.join(listed[:-1]) + before_last + listed[-1]
    return format_list(listed, locale=Locale.parse(chosen.replace("-", "_")))


#: other codes a session may carry for the same languages (ISO 639-3 Dari and Northern Kurdish).
_SAME_LANGUAGE = {"prs": "fa-AF", "kmr": "ku"}


def language_name(code: str, locale: str) -> str | None:
    """The language ``code`` named in ``locale`` (``ar`` → "Arabisch" on a Dutch page), or None
    when CLDR does not know the code."""
    page = negotiate(locale)
    if (own := LANGUAGE_NAMES.get(_SAME_LANGUAGE.get(code, code))) is not None:
        return own[page]
    try:
        return Locale.parse(code.replace("-", "_")).get_display_name(page.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return None
