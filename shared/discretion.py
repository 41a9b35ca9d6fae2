"""Words that must never leave the system: what a session is about.

A message on a shared or monitored phone can put someone in danger, so every
outward text (SMS, e-mail, invite, public page, and the public titles and
names staff type, refused when they are saved) is checked against the
catalogue in shared.discretion_words, in every supported language, and the
tests render every template in every locale against it.

Texts are read as a reader sees them (shared.discretion_text: NFKC, no
invisible characters, no case or diacritics, look-alike letters folded) and
compared word by word, at any boundary: spaces, punctuation, the end of a
sentence, digits, a change of script. So "Rаpe." with a Cyrillic "а", "Ｒａｐｅ"
and "ra\\u200bpe" are refused, and "grape", "Violenstraat" and "geweldig"
pass. The result names catalogue entries, never the text, so a refusal can
be logged and shown without repeating what someone typed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache

from pydantic import ValidationInfo
from pydantic_core import PydanticCustomError

from shared.discretion_text import ARABIC, Word, fold, script_of, words
from shared.discretion_words import SENSITIVE

__all__ = ["SENSITIVE", "sensitive_words_in", "is_discreet", "discreet", "DiscretionError", "NOT_DISCREET"]

#: the pydantic error type of a refused field (the staff forms show their own message for it).
NOT_DISCREET = "not_discreet"

#: attached to an Arabic-script word in front: and, so, with, for, as, the (longest first).
_ARABIC_PREFIXES = ("وال", "فال", "بال", "كال", "ولل", "فلل", "لل", "ال", "و", "ف", "ب", "ل", "ك")


class DiscretionError(ValueError):
    """An outward text names what a session is about; it must not be sent."""


@dataclass(frozen=True)
class _Part:
    """One word of an entry: its folded letters and where they may sit in a word."""

    letters: str
    script: str
    start: bool  # the word must begin with the letters
    end: bool  # the word must end with them

    def matches(self, word: str) -> bool:
        if self.start and self.end:
            return word == self.letters
        if self.start:
            return word.startswith(self.letters)
        if self.end:
            return word.endswith(self.letters)
        return self.letters in word


@dataclass(frozen=True)
class _Entry:
    text: str
    parts: tuple[_Part, ...]


def _part(raw: str) -> _Part:
    letters = fold(raw.strip("*"))
    if not letters.isalpha():
        raise ValueError(f"catalogue entry part {raw!r} must be letters with an optional * at either end")
    return _Part(letters, script_of(letters[0]), start=not raw.startswith("*"), end=not raw.endswith("*"))


@cache
def _catalogue() -> tuple[_Entry, ...]:
    entries = {text for texts in SENSITIVE.values() for text in texts}
    return tuple(_Entry(text, tuple(_part(p) for p in text.replace("-", " ").split())) for text in sorted(entries))


@cache
def _first_parts(script: str) -> re.Pattern[str]:
    """One pattern for the first words of every entry in ``script``: most words match none, and are done."""
    alternatives = []
    for entry in _catalogue():
        part = entry.parts[0]
        if part.script == script:
            letters = re.escape(part.letters)
            alternatives.append(f"{'^' if part.start else ''}{letters}{'$' if part.end else ''}")
    return re.compile("|".join(alternatives) or "(?!)")


def _forms(word: Word) -> Iterator[str]:
    """The word, and an Arabic-script word also without an attached prefix."""
    script, letters = word
    yield letters
    if script == ARABIC:
        for prefix in _ARABIC_PREFIXES:
            if letters.startswith(prefix) and len(letters) - len(prefix) >= 2:
                yield letters[len(prefix) :]


def _at(entry: _Entry, sequence: Sequence[Word], index: int) -> bool:
    if index + len(entry.parts) > len(sequence):
        return False
    for part, word in zip(entry.parts, sequence[index:], strict=False):
        if word[0] != part.script or not any(part.matches(form) for form in _forms(word)):
            return False
    return True


def sensitive_words_in(text: str) -> list[str]:
    """Every catalogue word, in any language, that ``text`` contains as a reader would see it (as a
    person reads it: without the catalogue's ``*`` marks, each once)."""
    found: set[str] = set()
    for sequence in words(text):
        for index, word in enumerate(sequence):
            if any(_first_parts(word[0]).search(form) for form in _forms(word)):
                found.update(entry.text.strip("*") for entry in _catalogue() if _at(entry, sequence, index))
    return sorted(found)


def is_discreet(text: str) -> bool:
    """Whether ``text`` may leave the system: it names nothing in the catalogue."""
    return not sensitive_words_in(text)


def discreet(value: str, info: ValidationInfo) -> str:
    """A pydantic validator body for a text that leaves the system (a public title, a venue's public name).

    Refused when it is saved, not when a message is rendered: by then the text is on the public page
    and in the attendee's calendar, and its messages would be dropped. The error names the field and
    how many words, never the text, so it can be logged."""
    found = sensitive_words_in(value)
    if found:
        raise PydanticCustomError(
            NOT_DISCREET,
            "{field} names what the sessions are about ({count} word(s) from the discretion list, "
            "shared/discretion_words.py); it is shown in messages and on public pages: use words that do "
            "not, e.g. 'Thursday meeting'",
            {"field": info.field_name or "this text", "count": len(found)},
        )
    return value
