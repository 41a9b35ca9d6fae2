"""Every text of the attendee pages is in every catalog, keeps its placeholders, and names no topic.

The texts are found where they are written: ``_("...")`` in the templates,
``N_("...")`` and ``page.gettext("...")`` in the pages' Python modules. (No
browser needed: these run with or without Chromium.)
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from shared.discretion import sensitive_words_in
from shared.i18n import SUPPORTED, catalog_path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = (
    ROOT / "shared" / "pages",
    ROOT / "services" / "scheduler" / "pages",
    ROOT / "services" / "feedback" / "pages",
)
MESSAGE = re.compile(r'(?:\b_|\bN_|\.gettext)\(\s*"((?:[^"\\]|\\.)*)"')
PLACEHOLDER = re.compile(r"\{\w+\}")
TRANSLATED = [locale for locale in SUPPORTED if locale != "en"]


def page_messages() -> list[str]:
    found: set[str] = set()
    for source in SOURCES:
        for path in sorted(source.rglob("*")):
            # the staff kit (shared/pages/staff.py, staff_*.html) is Dutch and English only: staff-*.po
            if path.suffix in (".html", ".py") and not path.name.startswith("staff"):
                found.update(m.encode().decode("unicode_escape") for m in MESSAGE.findall(path.read_text()))
    return sorted(found)


def test_the_page_texts_are_found_and_discreet_in_english() -> None:
    messages = page_messages()
    assert len(messages) > 60 and "Leave this page quickly" in messages and "Very good" in messages
    assert [m for m in messages if sensitive_words_in(m)] == []


@pytest.mark.parametrize("locale", TRANSLATED)
def test_every_catalog_translates_every_page_text_discreetly(locale: str) -> None:
    with catalog_path(locale).open("rb") as source:
        catalog = read_po(source)
    missing = [m for m in page_messages() if catalog.get(m) is None or not catalog.get(m).string]
    assert not missing, f"{locale} lacks {len(missing)} page texts, e.g. {missing[:5]}"
    for english in page_messages():
        message = catalog.get(english)
        assert not message.fuzzy, f"{locale}: fuzzy translation for: {english}"
        assert sorted(PLACEHOLDER.findall(message.string)) == sorted(PLACEHOLDER.findall(english)), (
            f"{locale}: placeholders differ in: {message.string}"
        )
        assert sensitive_words_in(message.string) == [], f"{locale}: {message.string}"
