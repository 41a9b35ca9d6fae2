"""Catalogs, the fallback chain and text direction."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from notifier.deliveries.messages import MESSAGES
from shared.i18n import SUPPORTED, catalog_path, fallback_chain, negotiate, text_direction, translate

TRANSLATED = [locale for locale in SUPPORTED if locale != "en"]
PLACEHOLDER = re.compile(r"\{\w+\}")


@pytest.mark.parametrize("locale", TRANSLATED)
def test_every_catalog_translates_every_message_with_the_same_placeholders(locale: str) -> None:
    with catalog_path(locale).open("rb") as source:
        catalog = read_po(source)
    for english in MESSAGES.values():
        message = catalog.get(english)
        assert message is not None and message.string, f"{locale} lacks: {english}"
        assert not message.fuzzy, f"{locale}: fuzzy translation for: {english}"
        assert sorted(PLACEHOLDER.findall(message.string)) == sorted(PLACEHOLDER.findall(english)), (
            f"{locale}: placeholders differ in: {message.string}"
        )


@pytest.mark.parametrize(
    ("requested", "chosen", "chain"),
    [
        ("fa-AF", "fa-AF", ["fa-AF", "fa", "en"]),
        ("fa_af", "fa-AF", ["fa-AF", "fa", "en"]),
        ("ar-SY", "ar", ["ar", "en"]),
        ("ckb-IQ", "ckb", ["ckb", "en"]),
        ("am-ET", "am", ["am", "en"]),
        ("ku-Arab-IQ", "ckb", ["ckb", "en"]),
        ("ku_arab", "ckb", ["ckb", "en"]),
        ("ku-IQ", "ku", ["ku", "en"]),
        ("kurdish", "en", ["en"]),
        ("de", "en", ["en"]),
        (None, "en", ["en"]),
    ],
)
def test_negotiation_and_fallback(requested: str | None, chosen: str, chain: list[str]) -> None:
    assert negotiate(requested) == chosen
    assert fallback_chain(requested or "") == chain


def test_a_locale_without_its_own_translation_falls_back_along_the_chain() -> None:
    assert translate("fa-AF", MESSAGES["reminder"]).startswith("یادآوری")
    assert translate("de", MESSAGES["reminder"]) == MESSAGES["reminder"]


@pytest.mark.parametrize(
    ("locale", "direction"),
    [("ar", "rtl"), ("fa", "rtl"), ("fa-AF", "rtl"), ("ps", "rtl"), ("ti", "ltr"), ("nl", "ltr"), ("ku", "ltr")]
    + [("ckb", "rtl"), ("am", "ltr")],
)
def test_text_direction(locale: str, direction: str) -> None:
    assert text_direction(locale) == direction


@pytest.mark.parametrize("locale", [loc for loc in SUPPORTED if loc != "en"])
def test_catalogs_write_numbers_in_latin_digits_as_codes_and_dates_are(locale: str) -> None:
    """Codes, times and dates are in Latin digits; a static text in Persian digits ("۶۰ حرف") beside them
    mixed two systems on one page (fa, fa-AF and ps did)."""
    with catalog_path(locale).open("rb") as source:
        catalog = read_po(source)
    mixed = [m.id for m in catalog if m.id and re.search(r"[\u0660-\u0669\u06f0-\u06f9]", str(m.string))]
    assert mixed == []
