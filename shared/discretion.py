"""Words that must never leave the system: what a session is about.

A message on a shared or monitored phone can put someone in danger, so every
outward text (SMS, e-mail, invite, public page) is checked against this list
in every supported language before it is sent, and the tests render every
template in every locale against it. Entries are lower-case stems matched
anywhere in the case-folded text, so ``seksueel`` also catches
``seksuele``.
"""

from __future__ import annotations

__all__ = ["SENSITIVE", "sensitive_words_in", "DiscretionError"]

SENSITIVE: dict[str, tuple[str, ...]] = {
    "en": (
        "violence",
        "violent",
        "abuse",
        "rape",
        "sexual",
        "gbv",
        "victim",
        "assault",
        "trauma",
        "harass",
        "incest",
        "mutilation",
        "fgm",
        "trafficking",
    ),
    "nl": (
        "geweld",
        "misbruik",
        "verkracht",
        "seksue",
        "slachtoffer",
        "aanrand",
        "zedendelict",
        "intimidatie",
        "besnijdenis",
        "mensenhandel",
    ),
    "ar": ("عنف", "اعتداء", "اغتصاب", "جنسي", "ضحية", "ضحايا", "تحرش", "ختان"),
    "fa": ("خشونت", "تجاوز", "جنسی", "قربانی", "آزار", "تعرض", "ختنه"),
    "ps": ("تاوتریخوالی", "جنسي", "قرباني", "ځورونه", "تېری", "جنسی"),
    "ti": ("ዓመጽ", "ጾታዊ", "ግፍዒ", "ጭቆና", "ግዳይ"),
    "so": ("rabshad", "kufsi", "xadgudub", "galmo", "dhibane", "gudniin"),
    "tr": ("şiddet", "istismar", "tecavüz", "cinsel", "mağdur", "taciz", "saldırı"),
    "uk": ("насильств", "насилл", "зґвалту", "сексуальн", "жертв", "домаганн", "кривдж"),
    "ru": ("насили", "изнасил", "сексуальн", "жертв", "домогательств"),
    "fr": ("violence", "abus", "viol ", "sexuel", "victime", "agression", "harcèlement", "excision"),
    "ku": ("tundî", "destdirêjî", "zayendî", "qurban", "îstismar", "tecawiz"),
}


class DiscretionError(ValueError):
    """An outward text names what a session is about; it must not be sent."""


def sensitive_words_in(text: str) -> list[str]:
    """Every listed stem, in any language, that occurs in ``text``."""
    folded = f" {text.casefold()} "
    return sorted({stem for stems in SENSITIVE.values() for stem in stems if stem in folded})
