"""The words that opt a number out of Brug's texts, and back in, in every language Brug speaks.

Each language (``shared.i18n.SUPPORTED``) has its usual ways to say stop, cancel or unsubscribe,
in the script its speakers type, with the spellings they really use (Arabic with and without
hamza, Tigrinya with ``ኣ`` or ``አ``, Sorani with or without its own letters, Turkish with or
without ``ç``/``ş``...); normalising (notifier.optouts.normalise) takes care of case, accents,
letter forms and invisible characters, so each word is listed once per spelling, not once per
keyboard.

Stop words are generous on purpose: a text that starts with one is enough, in any language,
whatever the person's chosen locale (a shared phone may be read by someone else; when in doubt,
send less). A word is a stop word only if a person would start a text to Brug's number with it
to say "no more": greetings and common replies ("yes", "no", "ok", "thanks") are not.

Start words are few and must be the whole text, so that nobody is opted back in by a sentence.
"""

from __future__ import annotations

from notifier.optouts.normalise import words

__all__ = ["STOP", "START", "stop_phrases", "start_phrases"]

#: per language, the phrases that opt out when a text starts with one.
STOP: dict[str, tuple[str, ...]] = {
    "en": ("stop", "stop all", "stopall", "unsubscribe", "cancel", "end", "quit", "opt out", "optout", "revoke"),
    "nl": ("stop", "stoppen", "afmelden", "uitschrijven", "opzeggen", "geen sms"),
    "ar": ("توقف", "قف", "اوقف", "ايقاف", "الغاء", "الغاء الاشتراك", "كفى"),
    "fa": ("توقف", "لغو", "انصراف", "ایست", "متوقف", "بس کن"),
    "fa-AF": ("توقف", "لغو", "بند", "بس کن", "ایست"),
    "ps": ("ودروه", "ودرول", "بند", "بندول", "لغوه", "لغو"),
    "ti": ("አቁም", "አቋርጽ", "አቋርፅ", "ደው በል", "ደው አብል", "አቋርጹ"),
    "so": ("jooji", "joojin", "iska jooji", "ka bax"),
    "ku": ("raweste", "rawestîne", "rawestin", "bisekine", "betal", "betalkirin"),
    "tr": ("dur", "durdur", "iptal", "ret", "red", "istemiyorum", "abonelikten çık"),
    "uk": ("стоп", "зупинити", "зупинись", "припинити", "відписатися", "скасувати"),
    "ru": ("стоп", "остановить", "отписаться", "отмена", "отменить", "прекратить", "хватит"),
    "fr": ("stop", "arrêt", "arrêter", "arrête", "désabonner", "désinscrire", "annuler", "fin"),
    "ckb": ("وەستان", "بوەستە", "بوەستن", "ڕاوەستان", "ڕاوەستە", "هەڵوەشاندنەوە", "بەسە"),
    "am": ("አቁም", "አቁሙ", "አቁሚ", "አቋርጥ", "አቋርጡ", "ሰርዝ"),
}

#: per language, the phrases that opt back in when they are the whole text.
START: dict[str, tuple[str, ...]] = {
    "en": ("start", "unstop", "opt in"),
    "nl": ("start", "aanmelden"),
    "ar": ("ابدأ", "اشتراك", "استئناف"),
    "fa": ("شروع", "عضویت"),
    "fa-AF": ("شروع", "عضویت"),
    "ps": ("پیل", "شروع"),
    "ti": ("ጀምር", "ቀጽል"),
    "so": ("bilow", "bilaab"),
    "ku": ("destpêk", "dest pê bike"),
    "tr": ("başlat", "başla"),
    "uk": ("старт", "почати"),
    "ru": ("старт", "начать"),
    "fr": ("démarrer", "reprendre", "commencer"),
    "ckb": ("دەستپێکردن", "دەستپێکردنەوە"),
    "am": ("ጀምር", "ጀምሩ", "ቀጥል"),
}


def stop_phrases() -> frozenset[tuple[str, ...]]:
    """Every language's stop phrases, normalised into tuples of words."""
    return _normalised(STOP)


def start_phrases() -> frozenset[tuple[str, ...]]:
    """Every language's start phrases, normalised into tuples of words."""
    return _normalised(START)


def _normalised(catalogue: dict[str, tuple[str, ...]]) -> frozenset[tuple[str, ...]]:
    return frozenset(tuple(words(phrase)) for phrases in catalogue.values() for phrase in phrases)
