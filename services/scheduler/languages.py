"""Language codes as the scheduler accepts them: BCP 47 (nl, ar, fa-AF, ti)."""

from __future__ import annotations

import re

__all__ = ["check_languages"]

_BCP47 = re.compile(r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|\d{3}))?$")


def check_languages(value: list[str]) -> list[str]:
    """A pydantic validator body: refuse the first code that is not BCP 47, with examples."""
    for code in value:
        if not _BCP47.match(code):
            raise ValueError(f"{code!r} is not a BCP 47 language code (examples: nl, ar, fa-AF, ti)")
    return value
