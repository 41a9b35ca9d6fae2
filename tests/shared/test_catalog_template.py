"""shared/locales/brug.pot is what the sources say, and every catalog follows it (the translation platform's view)."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from babel.messages.pofile import read_po

from shared.catalog_template import TEMPLATE, template
from shared.i18n import SUPPORTED, catalog_path

TRANSLATED = [locale for locale in SUPPORTED if locale != "en"]


def _ids_and_places(catalog) -> dict[str, list[str]]:
    return {m.id: sorted(path for path, _line in m.locations) for m in catalog if m.id}


def _stored(path) -> dict[str, str]:
    with path.open("rb") as source:
        return {m.id: m.string for m in read_po(source) if m.id}


def test_the_template_is_up_to_date_with_the_sources() -> None:
    with TEMPLATE.open("rb") as source:
        stored = _ids_and_places(read_po(source))
    extracted = _ids_and_places(template())
    new = sorted(set(extracted) - set(stored))
    gone = sorted(set(stored) - set(extracted))
    assert (new, gone) == ([], []), "run `.venv/bin/python -m shared.catalog_template`"
    assert stored == extracted, "run `.venv/bin/python -m shared.catalog_template` (a text moved to another file)"


def test_the_template_holds_the_texts_kept_as_data_and_the_pages_texts() -> None:
    texts = set(_stored(TEMPLATE))
    assert "Reminder: {title}, {when}, {place}. Your code: {code}" in texts  # notifier MESSAGES
    assert "Did you feel safe here?" in texts  # feedback questions
    assert "This message was sent automatically. Please do not reply." in texts  # e-mail footer
    assert "Your personal link" in texts and "Leave this page quickly" in texts  # templates, pages
    assert not any(re.search(r"\bambassador\b", text, re.IGNORECASE) for text in texts)


@pytest.mark.parametrize("locale", TRANSLATED)
def test_each_catalog_has_the_templates_texts_and_no_others(locale: str) -> None:
    expected = set(_stored(TEMPLATE))
    have = _stored(catalog_path(locale))
    assert sorted(expected - set(have)) == [], f"{locale} lacks texts of the template"
    assert sorted(set(have) - expected) == [], f"{locale} keeps texts the sources no longer use"
    assert [text for text in expected if not have[text]] == [], f"{locale} has untranslated texts"


@pytest.mark.parametrize("locale", TRANSLATED)
def test_each_catalog_names_its_language_and_its_last_review(locale: str) -> None:
    with catalog_path(locale).open("rb") as source:
        catalog = read_po(source)
    assert str(catalog.locale) == locale.replace("-", "_")
    assert catalog.last_translator and "FULL NAME" not in catalog.last_translator
    # babel leaves the template's placeholder "YEAR-MO-DA HO:MI+ZONE" as a string
    assert isinstance(catalog.revision_date, datetime) and catalog.revision_date.year >= 2026
