"""Stop is heard in every language Brug speaks (issue 16, item 5).

The words are written out here, not read from the catalogue, so a word dropped from
``notifier.optouts.words`` fails a test instead of silently shrinking what it checks.
"""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import Engine

from notifier.optouts.service import keyword
from shared.i18n import SUPPORTED
from tests.notifier.support import delivery, seed, text_in
from tests.support.config import Keys
from tests.support.servers import ThreadedServer, wait_until
from tests.support.sms_gateways import FakeGateways

#: each language's usual stop words (and a spelling people really type), one per attendee locale.
STOPS: dict[str, list[str]] = {
    "nl": ["STOP", "Stoppen", "afmelden", "Uitschrijven", "opzeggen", "geen sms"],
    "en": ["STOP", "stopall", "unsubscribe", "cancel", "end", "quit", "opt out", "optout", "revoke"],
    "ar": ["توقف", "قف", "أوقف", "ايقاف", "إيقاف", "إلغاء", "الغاء الاشتراك", "الغاء"],
    "fa": ["توقف", "لغو", "لغو عضویت", "انصراف", "ایست", "متوقف"],
    "fa-AF": ["توقف", "لغو", "بند", "بس کن", "ایست"],
    "ps": ["ودروه", "ودرول", "بند", "بندول", "لغوه", "لغو"],
    "ti": ["ኣቁም", "አቁም", "ኣቋርጽ", "ኣቋርፅ", "ደው በል", "ደው ኣብል"],
    "so": ["JOOJI", "jooji", "joojin", "iska jooji", "ka bax"],
    "ku": ["RAWESTE", "rawestîne", "rawestin", "bisekine", "betal", "betalkirin"],
    "tr": ["DUR", "durdur", "İPTAL", "iptal", "RET", "red", "istemiyorum"],
    "uk": ["СТОП", "стоп", "зупинити", "припинити", "відписатися", "скасувати"],
    "ru": ["СТОП", "стоп", "остановить", "отписаться", "отмена", "отменить", "прекратить", "хватит"],
    "fr": ["ARRÊT", "arret", "arrêter", "arrête", "désabonner", "désinscrire", "annuler", "fin"],
    "ckb": ["وەستان", "وهستان", "بوەستە", "ڕاوەستە", "راوهسته", "هەڵوەشاندنەوە", "هەلوەشاندنەوە", "بەسە"],
    "am": ["አቁም", "ኣቁሙ", "አቁሚ", "አቋርጥ", "ኣቋርጡ", "ሰርዝ"],
}

#: each language's deliberate opt-in words: the whole text must be one of them.
STARTS: dict[str, list[str]] = {
    "nl": ["START", "aanmelden"],
    "en": ["START", "unstop", "opt in"],
    "ar": ["ابدأ", "ابدا", "اشتراك", "استئناف"],
    "fa": ["شروع", "عضویت"],
    "fa-AF": ["شروع", "عضویت"],
    "ps": ["پیل", "شروع"],
    "ti": ["ጀምር", "ቀጽል"],
    "so": ["bilow", "BILAAB"],
    "ku": ["destpêk", "dest pê bike"],
    "tr": ["BAŞLAT", "başla", "basla"],
    "uk": ["СТАРТ", "почати"],
    "ru": ["СТАРТ", "начать"],
    "fr": ["démarrer", "REPRENDRE", "commencer"],
    "ckb": ["دەستپێکردن", "دەستپیکردن", "دەستپێکردنەوە"],
    "am": ["ጀምር", "ጀምሩ", "ቀጥል"],
}


def test_every_language_brug_speaks_has_its_words() -> None:
    assert set(STOPS) == set(SUPPORTED) == set(STARTS)


@pytest.mark.parametrize(("locale", "word"), [(loc, w) for loc, words in STOPS.items() for w in words])
def test_each_languages_stop_words_stop(locale: str, word: str) -> None:
    """Before: only the English and Dutch words did (``توقف``, ``СТОП``, ``ARRÊT``, ``DUR``: None).
    After: every one stops, alone, with punctuation around it, or starting a longer text."""
    assert keyword(word) == "stop", locale
    assert keyword(f"  {word}!! ") == "stop", locale
    assert keyword(f"{word} ...") == "stop", locale
    assert keyword(f"{word}. {_PLEASE[locale]}") == "stop", locale


@pytest.mark.parametrize(("locale", "word"), [(loc, w) for loc, words in STARTS.items() for w in words])
def test_each_languages_start_words_start_only_alone(locale: str, word: str) -> None:
    """Opting back in stays deliberate in every language: the word alone, not inside a sentence."""
    assert keyword(word) == "start", locale
    assert keyword(f" {word}. ") == "start", locale
    assert keyword(f"{word} {_PLEASE[locale]}") is None, locale


#: "please" (or a few words) in each language, to make a longer text.
_PLEASE = {
    "nl": "alstublieft",
    "en": "please",
    "ar": "من فضلك",
    "fa": "لطفا",
    "fa-AF": "لطفا",
    "ps": "مهرباني وکړئ",
    "ti": "በጃኻ",
    "so": "fadlan",
    "ku": "ji kerema xwe",
    "tr": "lütfen",
    "uk": "будь ласка",
    "ru": "пожалуйста",
    "fr": "s'il vous plaît",
    "ckb": "تکایە",
    "am": "እባክዎ",
}


@pytest.mark.parametrize(
    ("body", "why"),
    [
        ("تـوقـف", "tatweel (kashida) stretching the letters"),
        ("توقف\u200c", "a zero-width non-joiner after the word"),
        ("\u200bСТОП", "a zero-width space before the word"),
        ("\u200fلغو", "a right-to-left mark before the word"),
        ("\ufeffstop", "a byte-order mark"),
        ("ＳＴＯＰ", "full-width Latin letters"),
        ("ﺗﻮﻗﻒ", "Arabic presentation forms (as some old phones send)"),
        ("لغو۱۱", "Persian digits glued to the word (Iranian services' 'لغو11')"),
        ("لغو١١", "Arabic-Indic digits glued to the word"),
        ("ايقاف", "ا for إ"),
        ("إيقاف", "إ with hamza"),
        ("ایقاف", "Persian ی for Arabic ي"),
        ("لغو عضويت", "Arabic ي in a Persian word"),
        ("لغو عضوىت", "alef maksura in a Persian word"),
        ("تَوَقَّفْ", "Arabic short vowels (harakat)"),
        ("ARRET", "French without its circumflex"),
        ("Désinscrire", "French with its accents"),
        ("İPTAL", "Turkish dotted capital I"),
        ("IPTAL", "Turkish written with a plain I"),
        ("ıptal", "Turkish dotless i"),
        ("rawestine", "Kurmanji without its circumflex"),
        ("відписатися", "Ukrainian ї/і kept"),
        ("Отписаться!", "Russian with punctuation"),
        ("«стоп»", "guillemets"),
        ("؟توقف؟", "Arabic question marks"),
        ("ኣቁም።", "Ethiopic full stop"),
        ("ደው፡በል", "Ethiopic word space"),
        ("S.T.O.P", "letters split by dots"),
        ("opt-out", "a hyphen"),
        ("ڕاوەستە", "Sorani with its own letters"),
        ("راوهسته", "Sorani typed on a Persian keyboard"),
        ("هەلوەشاندنەوە", "Sorani with ل for ڵ"),
        ("کتاب", "not a stop word: a Persian word with ک"),
    ],
)
def test_variants_are_normalised_before_matching(body: str, why: str) -> None:
    """Before: every one of these (but the plain English ones) kept the number subscribed."""
    assert keyword(body) == (None if body == "کتاب" else "stop"), why


@pytest.mark.parametrize(
    "body",
    [
        "Hello, is this the meeting?",
        "Ik kom morgen, stop niet",  # a stop word later in the text is not an opt-out
        "سلام، آیا جلسه فردا است؟",
        "Привет, я приду",
        "Bonjour, je viens demain",
        "Merhaba, yarın geliyorum",
        "Salaan, berri waan imanayaa",
        "سڵاو، سبەی دێم",
        "ሰላም፣ ነገ እመጣለሁ",
        "",
        "   ",
        "!!!",
        "\u200b\u200c",
    ],
)
def test_ordinary_texts_change_nothing(body: str) -> None:
    assert keyword(body) is None


def test_each_language_stop_word_keeps_texts_from_that_number(
    notifier_server: ThreadedServer, notifier: httpx.Client, engine: Engine, keys: Keys, fake: FakeGateways
) -> None:
    """The attack, end to end through the dispatcher: 15 attendees, each of whom texted their own
    language's stop word to Brug's number, are each due a text in their language.

    Before (at 1bd87c3): 11 of the 13 were texted anyway, only ``afmelden`` and ``unsubscribe`` were
    heard (`pytest tests/notifier/test_opt_out_languages.py -k keeps_texts` failed with ar, fa, fa-AF,
    ps, ti, so, ku, tr, uk, ru and fr ``sent``). After: all 15 (Sorani and Amharic since) skipped,
    no gateway called.
    """
    first = {"nl": "afmelden", "en": "unsubscribe", "ar": "توقف", "fa": "لغو", "fa-AF": "بند", "ps": "ودروه"}
    first |= {"ti": "ኣቁም", "so": "jooji", "ku": "raweste", "tr": "DUR", "uk": "СТОП", "ru": "отписаться"}
    first |= {"fr": "ARRÊT", "ckb": "وەستان", "am": "አቁም"}
    phones = {locale: f"+3161000{i:04d}" for i, locale in enumerate(sorted(first))}
    for locale, word in first.items():
        assert text_in(notifier, fake, word, phone=phones[locale]).status_code == 200
    planned = {
        locale: seed(engine, keys, code=f"LANG-{i:04d}", phone=phones[locale], locale=locale)
        for i, locale in enumerate(sorted(first))
    }

    def settled() -> dict[str, str] | None:
        states = {locale: delivery(engine, did).status for locale, did in planned.items()}
        return states if all(s in ("skipped", "sent", "failed") for s in states.values()) else None

    states = wait_until(settled, message="every delivery to be sent or skipped")
    assert states == dict.fromkeys(first, "skipped")
    assert fake.texts() == 0
