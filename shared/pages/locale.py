"""Which locale a page is shown in, and the language switcher's links.

Order: ``?lang=`` (a choice just made, remembered in a cookie), the
``brug_lang`` cookie, the browser's ``Accept-Language``, English.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from starlette.datastructures import QueryParams

from shared.i18n import DEFAULT, SUPPORTED, alias_of, text_direction

__all__ = ["LANG_COOKIE", "ENDONYMS", "Language", "match", "from_accept_language", "switcher"]

LANG_COOKIE = "brug_lang"

#: each language named in itself, so a reader finds their own without reading the page's.
ENDONYMS: dict[str, str] = {
    "nl": "Nederlands",
    "en": "English",
    "ar": "العربية",
    "fa": "فارسی",
    "fa-AF": "دری",
    "ps": "پښتو",
    "ti": "ትግርኛ",
    "so": "Soomaali",
    "tr": "Türkçe",
    "uk": "Українська",
    "ru": "Русский",
    "fr": "Français",
    "ku": "Kurdî (Kurmancî)",
    "ckb": "کوردی (سۆرانی)",
    "am": "አማርኛ",
}


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    direction: str
    href: str
    current: bool


def match(tag: str | None) -> str | None:
    """The supported locale ``tag`` names (``ar-SY`` → ``ar``, ``fa_af`` → ``fa-AF``, ``ku-Arab`` → ``ckb``),
    else None."""
    if not tag:
        return None
    if (aliased := alias_of(tag)) is not None:
        return aliased
    wanted = tag.strip().replace("_", "-").lower()
    for candidate in (wanted, wanted.split("-")[0]):
        for supported in SUPPORTED:
            if supported.lower() == candidate:
                return supported
    return None


def from_accept_language(header: str | None) -> str | None:
    """The browser's most wanted supported locale, honouring q-values (``fa-AF,fa;q=0.8``)."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        found = match(tag)
        if found is not None and quality > 0:
            ranked.append((-quality, position, found))
    return min(ranked)[2] if ranked else None


def choose(query: str | None, cookie: str | None, accept: str | None) -> str:
    return match(query) or match(cookie) or from_accept_language(accept) or DEFAULT


def switcher(path: str, query: QueryParams, current: str) -> list[Language]:
    """One link per locale to this very page (its other query parameters kept)."""
    kept = [(k, v) for k, v in query.multi_items() if k != "lang"]
    return [
        Language(
            code=code,
            name=ENDONYMS[code],
            direction=text_direction(code),
            href=f"{path}?{urlencode([*kept, ('lang', code)])}",
            current=code == current,
        )
        for code in SUPPORTED
    ]
