"""Reducing an inbound text to plain words, so that a stop word is heard however it was typed.

People text from whatever phone they have: an Arabic keyboard sends ``ي`` where a Persian one sends
``ی``, some phones stretch letters with tatweel or send Arabic presentation forms, a pasted word
brings a zero-width character or a right-to-left mark along, a French speaker may or may not type
the circumflex of ``ARRÊT``. Every one of those must still opt the number out, so the text and the
catalogue (notifier.optouts.words) go through the same steps:

1. NFKC: full-width letters and Arabic presentation forms become the ordinary letters.
2. Invisible format characters (zero-width space and joiners, direction marks, byte-order mark) and
   tatweel are dropped.
3. Case is folded, Turkish dotless ``ı`` read as ``i``; accents and Arabic short vowels (every
   combining mark) are dropped.
4. Arabic-script letters that keyboards and regions write differently are made one: the yehs,
   the kafs, alef with or without hamza, teh marbuta and heh, Sorani's letters with a small v and its
   ae, oe and heh (a Persian or Arabic keyboard has none of them); every script's digits become 0-9.
5. Anything that is not a letter or a digit separates words, and a run of digits is a word of its
   own (Iranian services ask for ``لغو11``).
"""

from __future__ import annotations

import re
import unicodedata

from shared.digits import ascii_digits

__all__ = ["words"]

#: Arabic-script letters written differently by keyboard or region, mapped to one form each.
_LETTER_FORMS = str.maketrans(
    {
        "ي": "ی",  # Arabic yeh → Persian yeh
        "ى": "ی",  # alef maksura
        "ې": "ی",  # Pashto yeh
        "ۍ": "ی",  # Pashto yeh with tail
        "ئ": "ی",  # yeh with hamza
        "ك": "ک",  # Arabic kaf → keheh
        "ګ": "گ",  # Pashto gaf with ring
        "أ": "ا",  # alef with hamza above
        "إ": "ا",  # alef with hamza below
        "آ": "ا",  # alef with madda
        "ٱ": "ا",  # alef wasla
        "ؤ": "و",  # waw with hamza
        "ة": "ه",  # teh marbuta
        "ۀ": "ه",  # heh with yeh above
        "ە": "ه",  # Kurdish ae
        "ھ": "ه",  # Kurdish heh (doachashmee)
        "ڕ": "ر",  # Kurdish reh with small v
        "ڵ": "ل",  # Kurdish lam with small v
        "ێ": "ی",  # Kurdish yeh with small v
        "ۆ": "و",  # Kurdish oe
        "ı": "i",  # Turkish dotless i (casefold keeps it)
        "ኣ": "አ",  # Tigrinya and Amharic write the same glottal a with either letter
    }
)

_TATWEEL = "\u0640"
_WORD_PARTS = re.compile(r"\d+|[^\W\d_]+")


def words(text: str) -> list[str]:
    """The words of ``text`` after normalising it (see the module docstring), in order."""
    text = unicodedata.normalize("NFKC", text)
    kept = (c for c in text if c != _TATWEEL and unicodedata.category(c) != "Cf")
    text = unicodedata.normalize("NFD", "".join(kept).casefold())
    text = ascii_digits("".join(c for c in text if not unicodedata.combining(c)))
    text = unicodedata.normalize("NFC", text).translate(_LETTER_FORMS)
    return _WORD_PARTS.findall(text)
