"""The glossary and the register of docs/glossary.toml hold in every attendee catalog.

One English term, one translation per catalog (a seat is never a location,
a link never a bond); one register per catalog (no informal "sen" in a
Turkish catalog that says "siz"). docs/LOCALES.md explains the choices.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from shared.i18n import SUPPORTED, catalog_path

ROOT = Path(__file__).resolve().parents[2]
GLOSSARY = tomllib.loads((ROOT / "docs" / "glossary.toml").read_text())
TRANSLATED = [locale for locale in SUPPORTED if locale != "en"]
PLACEHOLDER = re.compile(r"\{\w+\}")


def _messages(locale: str) -> dict[str, str]:
    with catalog_path(locale).open("rb") as source:
        return {m.id: m.string for m in read_po(source) if m.id and m.string}


def glossary_breaches(locale: str, messages: dict[str, str]) -> list[str]:
    """One line per message that uses a glossary term without the locale's translation of it."""
    found = []
    for name, term in GLOSSARY["terms"].items():
        english = re.compile(term["english"], re.IGNORECASE)
        accepted = [re.compile(pattern, re.IGNORECASE) for pattern in term[locale]]
        for msgid, msgstr in messages.items():
            if msgid in term.get("except", []) or not english.search(PLACEHOLDER.sub("", msgid)):
                continue
            if not any(pattern.search(PLACEHOLDER.sub("", msgstr)) for pattern in accepted):
                found.append(f"{name}: {msgid!r} -> {msgstr!r}")
    return found


def register_breaches(locale: str, messages: dict[str, str]) -> list[str]:
    rule = GLOSSARY["register"].get(locale)
    if rule is None:
        return []
    ruled_out = [re.compile(pattern, re.IGNORECASE) for pattern in rule["ruled_out"]]
    return [
        f"{pattern.search(msgstr).group(0)!r} in {msgstr!r}"
        for msgstr in messages.values()
        for pattern in ruled_out
        if pattern.search(msgstr)
    ]


def test_every_locale_has_a_translation_for_every_term() -> None:
    for name, term in GLOSSARY["terms"].items():
        assert sorted(set(TRANSLATED) - set(term)) == [], f"{name} lacks locales"
        english = re.compile(term["english"], re.IGNORECASE)
        assert any(english.search(m) for m in _messages("nl")), f"{name} matches no English text"


@pytest.mark.parametrize("locale", TRANSLATED)
def test_each_term_is_translated_the_same_way_throughout(locale: str) -> None:
    breaches = glossary_breaches(locale, _messages(locale))
    assert breaches == [], f"{locale}: {len(breaches)} texts leave the glossary:\n" + "\n".join(breaches)


@pytest.mark.parametrize("locale", sorted(GLOSSARY["register"]))
def test_one_register_throughout(locale: str) -> None:
    breaches = register_breaches(locale, _messages(locale))
    assert breaches == [], f"{locale} ({GLOSSARY['register'][locale]['keeps']}): {len(breaches)} texts:\n" + "\n".join(
        breaches
    )


def test_the_checks_catch_a_seat_that_became_a_location_and_an_informal_question() -> None:
    assert glossary_breaches("ar", {"Cancel my place": "إلغاء مكاني"}) == ["seat: 'Cancel my place' -> 'إلغاء مكاني'"]
    assert glossary_breaches("ar", {"Place": "المكان", "Cancelled: {title} will not take place.": "أُلغي"}) == []
    assert glossary_breaches("fa", {"Copy the link": "کپی کردن پیوند"}) != []
    assert register_breaches("tr", {"q": "Bir arkadaşına gelmesini söyler misin?"}) != []
    assert register_breaches("tr", {"q": "Bir arkadaşınıza gelmesini söyler misiniz?"}) == []
    assert register_breaches("ku", {"q": "Tu dixwazî cihê xwe betal bikî?"}) != []
    assert register_breaches("fr", {"q": "Voulez-vous annuler votre place ?"}) == []
    assert register_breaches("ckb", {"q": "تۆ دەتەوێت کورسییەکەت هەڵبوەشێنیتەوە؟"}) != []
    assert register_breaches("ckb", {"q": "دەتانەوێت کورسییەکەتان هەڵبوەشێننەوە؟"}) == []
    assert register_breaches("am", {"q": "ወንበርህን መሰረዝ ትፈልጋለህ?"}) != []
    assert register_breaches("am", {"q": "ይህን ወንበርዎን መሰረዝ ይፈልጋሉ?"}) == []
    assert glossary_breaches("ckb", {"Cancel my place": "شوێنەکەم هەڵبوەشێننەوە"}) != []
    assert glossary_breaches("am", {"Copy the link": "ማገናኛውን ይቅዱ"}) != []
