"""A right-to-left SMS as a phone lays it out: its Latin title and Dutch address read left to right, whole.

Each right-to-left locale's confirmation is put in a ``dir="rtl"`` paragraph on one line and
Chromium's layout is measured character by character (a DOM Range's box): the title's letters and
the address's must run left to right, with nothing of the surrounding text between them. A title
ending in "!" shows why the SMS isolates them: without FSI…PDI the "!" is laid out on the far
side of the title (the Unicode bidi algorithm, as on phones, gives a neutral between Latin and
Arabic text the paragraph's direction).
"""

from __future__ import annotations

import html
from datetime import UTC, datetime
from typing import Any

import pytest

from notifier.deliveries.messages import FSI, PDI, MessageFacts, render, sms_text

TITLE = "Koffie-ochtend!"
PLACE = "1e Oosterparkstraat 12, Amsterdam"
FACTS = MessageFacts(
    title=TITLE,
    starts_at=datetime(2027, 3, 4, 13, 0, tzinfo=UTC),
    timezone="Europe/Amsterdam",
    place=PLACE,
    code="K7QF-93XA",
)

#: the centre x of each character of ``text`` in the paragraph, laid out by the browser (null for none)
_CENTRES = """() => {
  const node = document.getElementById("sms").firstChild, range = document.createRange();
  return [...node.data].map((_, i) => {
    range.setStart(node, i); range.setEnd(node, i + 1);
    const box = range.getBoundingClientRect();
    return box.width > 0 ? box.left + box.width / 2 : null;
  });
}"""


def _laid_out(page: Any, text: str, locale: str) -> list[float | None]:
    assert all(ord(ch) <= 0xFFFF for ch in text), "one JavaScript index per character"
    page.set_content(
        f'<!doctype html><html lang="{locale}" dir="rtl"><body style="margin:0">'
        f'<p id="sms" style="white-space:pre;font:20px sans-serif;width:max-content">{html.escape(text)}</p>'
    )
    centres = page.evaluate(_CENTRES)
    assert len(centres) == len(text)
    return centres


def _reads_left_to_right_whole(text: str, centres: list[float | None], part: str) -> bool:
    """``part``'s characters left to right, and no other character of ``text`` drawn among them."""
    start = text.index(part)
    inside = [centres[i] for i in range(start, start + len(part)) if centres[i] is not None]
    outside = [
        x
        for i, x in enumerate(centres)
        if not start <= i < start + len(part) and x is not None and not text[i].isspace()
    ]
    in_order = all(a < b for a, b in zip(inside, inside[1:], strict=False))
    return in_order and not any(min(inside) < x < max(inside) for x in outside)


@pytest.mark.parametrize("locale", ["ar", "fa", "fa-AF", "ps"])
def test_a_right_to_left_sms_shows_its_latin_title_and_address_left_to_right(context: Any, locale: str) -> None:
    page = context.new_page()
    sms = sms_text("confirmation", locale, FACTS)
    assert f"{FSI}{TITLE}{PDI}" in sms and f"{FSI}{PLACE}{PDI}" in sms
    centres = _laid_out(page, sms, locale)
    assert _reads_left_to_right_whole(sms, centres, TITLE), f"{locale}: the title is broken up in {sms!r}"
    assert _reads_left_to_right_whole(sms, centres, PLACE), f"{locale}: the address is broken up in {sms!r}"

    plain = render("confirmation", locale, FACTS)  # what the SMS said before: the measure tells them apart
    assert not _reads_left_to_right_whole(plain, _laid_out(page, plain, locale), TITLE)


@pytest.mark.parametrize("kind", ["confirmation", "reminder", "booking_cancelled"])
def test_a_sorani_sms_shows_its_latin_title_and_address_left_to_right(context: Any, kind: str) -> None:
    """Sorani (ckb) is written right to left in Arabic script like the four above; with this title
    its SMS have room for the isolates (a longer one fills a confirmation's two segments, and then
    the text goes without them: tests/notifier/test_messages.py)."""
    page = context.new_page()
    sms = sms_text(kind, "ckb", FACTS)
    assert f"{FSI}{TITLE}{PDI}" in sms
    centres = _laid_out(page, sms, "ckb")
    assert _reads_left_to_right_whole(sms, centres, TITLE), f"the title is broken up in {sms!r}"
    if PLACE in sms:
        assert f"{FSI}{PLACE}{PDI}" in sms
        assert _reads_left_to_right_whole(sms, centres, PLACE), f"the address is broken up in {sms!r}"
