"""The public session page in each locale: its day written out, its languages named and listed
as the page's locale writes them (shared.formats; the strings themselves: tests/shared/test_formats.py)."""

from __future__ import annotations

import html
from datetime import datetime

import httpx
import pytest

from shared.formats import format_day
from tests.shared.test_formats import LISTED
from tests.support.factories import make_session


@pytest.mark.parametrize("locale", ["nl", "ar", "fa", "fa-AF", "ps", "ti", "ku", "ckb", "am"])
def test_the_session_page_writes_its_day_and_languages_in_the_pages_locale(
    scheduler: httpx.Client, locale: str
) -> None:
    session = make_session(scheduler, languages=["ar", "fa-AF", "ku"])
    page = scheduler.get(f"/s/{session['id']}?lang={locale}")
    assert page.status_code == 200
    shown = html.unescape(page.text)
    assert f"{LISTED[locale]}</span>" in shown
    assert "Afghanistan" not in shown and "افغانستان" not in shown
    starts = datetime.fromisoformat(session["starts_at"])
    assert format_day(starts, session["timezone"], locale) in shown
    assert ">Kurdî (Kurmancî)</a>" in shown and ">دری</a>" in shown  # the language picker
