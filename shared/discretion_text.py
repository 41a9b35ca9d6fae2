"""Text as the discretion guard reads it: the words a person sees, however they were typed.

A title can be made to look like "Rape support" to a reader while its code
points spell something else: a zero-width space inside the word, full-width
or mathematical letters, a Cyrillic "а" or a Greek "ο" among Latin letters, an
Arabic tatweel stretching a word, diacritics. The guard must read what the
reader reads, so every text is reduced the same way before it is compared:

1. NFKC (full-width and mathematical letters, Arabic presentation forms);
2. invisible characters (format characters such as U+200B, U+200C, U+00AD,
   bidi controls, tag characters; tatweel; Hangul fillers) dropped. Because
   an invisible character between two words may also stand for the space the
   reader imagines, each text is read twice: once with them dropped, once with
   them read as a space (:func:`readings`);
3. case folding, then diacritics and Arabic vowel marks removed (NFD, minus
   combining marks), Turkish dotless i as i, Arabic, Persian and Sorani letter
   forms made one (أ إ آ → ا, ى ی → ي, ک → ك, ة → ه, Sorani ە → ه, ێ → ي, ڵ → ل...,
   as people without a Sorani keyboard type them);
4. look-alike letters folded into one script with the Unicode confusables
   table of PyPI ``confusable-homoglyphs``: a Latin reading (Cyrillic "а",
   Greek "ρ" → Latin), a Cyrillic one (Latin "a", "p" → Cyrillic) and an
   Arabic one; the words of each script are compared in the reading of
   that script;
5. words split at anything that is not a letter (space, punctuation, digit,
   the end of the text) and wherever the script changes ("Rapeподдержка" is
   two words).

The catalogue's own words go through steps 1–3, so both sides meet in the
middle; see shared.discretion for how they are compared.
"""

from __future__ import annotations

import unicodedata
from functools import cache

from confusable_homoglyphs.categories import alias

__all__ = ["Word", "fold", "readings", "words", "script_of", "LATIN", "CYRILLIC", "ARABIC"]

LATIN, CYRILLIC, ARABIC = "LATIN", "CYRILLIC", "ARABIC"
#: the scripts look-alikes are folded into: those whose letters other scripts imitate.
FOLDED_SCRIPTS = (LATIN, CYRILLIC, ARABIC)

#: drawn but not seen, or seen as nothing: removed (or read as a space) before comparing.
_INVISIBLE_NON_FORMAT = {"\u0640", "\u115f", "\u1160", "\u3164", "\uffa0", "\u2800", "\u034f", "\u17b4", "\u17b5"}

#: one letter for each letter written several ways: Arabic-script forms (Arabic, Persian, Pashto, Sorani), Turkish ı.
_LETTER_FORMS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ٲ": "ا",
        "ى": "ي",
        "ی": "ي",
        "ې": "ي",
        "ۍ": "ي",
        "ئ": "ي",
        "ے": "ي",
        "ک": "ك",
        "ڪ": "ك",
        "ګ": "گ",
        "ة": "ه",
        "ۀ": "ه",
        "ھ": "ه",
        "ہ": "ه",
        "ؤ": "و",
        # Sorani letters, typed as their Arabic or Persian neighbours where the keyboard has none
        "ە": "ه",
        "ێ": "ي",
        "ۆ": "و",
        "ڵ": "ل",
        "ڕ": "ر",
        "ڤ": "ف",
        "ı": "i",
    }
)

#: a word: its script (e.g. LATIN) and its folded letters.
Word = tuple[str, str]


def _invisible(char: str) -> bool:
    return unicodedata.category(char) == "Cf" or char in _INVISIBLE_NON_FORMAT


def fold(text: str) -> str:
    """Steps 1 and 3 (NFKC, case, diacritics, letter forms), for a text without invisible characters."""
    text = unicodedata.normalize("NFKC", text).casefold()
    bare = "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", bare).translate(_LETTER_FORMS)


def readings(text: str) -> tuple[str, ...]:
    """The text folded twice: invisible characters dropped, and read as spaces (one if they are the same)."""
    text = unicodedata.normalize("NFKC", text)
    if not any(_invisible(ch) for ch in text):
        return (fold(text),)
    joined = "".join(ch for ch in text if not _invisible(ch))
    spaced = "".join(" " if _invisible(ch) and ch != "\u0640" else ch for ch in text)
    return fold(joined), fold(spaced)


@cache
def script_of(char: str) -> str:
    """The script a letter belongs to (LATIN, CYRILLIC, ARABIC, ETHIOPIC, GREEK...)."""
    script: str = alias(char)  # confusable_homoglyphs has no type hints; its docstring says str
    return script


@cache
def _look_alike(char: str, script: str) -> str:
    """``char`` as a letter of ``script`` when it is drawn like one (and is not one already), else itself."""
    if script_of(char) == script and (script != LATIN or char.isascii()):
        return char
    # imported on first use: its table takes a tenth of a second to load, at every start of every service
    from confusable_homoglyphs.confusables import confusables_data  # noqa: PLC0415

    for glyph in confusables_data.get(char, ()):
        other = glyph["c"]
        if len(other) == 1 and other.isalpha() and script_of(other) == script:
            if script == LATIN and not other.isascii():
                continue
            return fold(other)
    return char


def _in_script(text: str, script: str) -> str:
    return "".join(_look_alike(ch, script) if ch.isalpha() else ch for ch in text)


def _split(text: str) -> list[Word]:
    """Runs of letters of one script; anything else ends a word."""
    found: list[Word] = []
    letters: list[str] = []
    current = ""
    for ch in text:
        script = script_of(ch) if ch.isalpha() else ""
        if letters and script != current:
            found.append((current, "".join(letters)))
            letters = []
        if script:
            letters.append(ch)
        current = script
    if letters:
        found.append((current, "".join(letters)))
    return found


def words(text: str) -> list[list[Word]]:
    """Every way to read ``text`` as a sequence of words: per reading, as typed and folded into each script."""
    sequences: list[list[Word]] = []
    for reading in readings(text):
        sequences.append(_split(reading))
        for script in FOLDED_SCRIPTS:
            folded = _in_script(reading, script)
            if folded != reading:
                sequences.append(_split(folded))
    return sequences
