"""The public agenda (/agenda): public, upcoming sessions by city and language, ten to a page."""

from __future__ import annotations

import re
from typing import Any

import httpx

from tests.scheduler.staff_pages.pages import browser
from tests.support.factories import make_session, make_venue
from tests.support.page_source import INTERNAL_TITLE, indiscretions
from tests.support.servers import ThreadedServer


def _titles(page: httpx.Response) -> list[str]:
    return re.findall(r'<h2><a href="/s/[0-9a-f]+" dir="auto">([^<]+)</a></h2>', page.text)


def _options(page: httpx.Response, name: str) -> list[str]:
    select = page.text.split(f'<select id="{name}"', 1)[1].split("</select>", 1)[0]
    return re.findall(r'<option value="([^"]*)"', select)


def _plan(api: httpx.Client) -> dict[str, Any]:
    """Twelve public sessions in Zwolle in Tigrinya, one in Amsterdam in Arabic and Dutch; one in Utrecht
    that is not public and one in Amsterdam that was called off."""
    zwolle, amsterdam, utrecht = (make_venue(api, city=city) for city in ("Zwolle", "Amsterdam", "Utrecht"))
    tigrinya = [
        make_session(api, zwolle, public=True, languages=["ti"], public_title=f"Evening {n:02d}") for n in range(12)
    ]
    arabic = make_session(api, amsterdam, public=True, public_title="Morning in Amsterdam")
    make_session(api, utrecht, public_title="Not listed")
    called_off = make_session(api, amsterdam, public=True, public_title="Called off")
    assert api.post(f"/api/v1/sessions/{called_off['id']}/cancel", json={"reason_code": "illness"}).status_code == 200
    return {"tigrinya": tigrinya, "arabic": arabic}


def test_the_agenda_filters_by_city_and_language_and_pages_through_ten_at_a_time(
    server: ThreadedServer, api: httpx.Client
) -> None:
    planned = _plan(api)
    with browser(server) as visitor:
        everything = visitor.get("/agenda?lang=en")
        assert everything.status_code == 200
        assert _options(everything, "city") == ["", "Amsterdam", "Zwolle"]  # not Utrecht: nothing public there
        assert _options(everything, "language") == ["", "ar", "nl", "ti"]
        assert '<option value="ti" lang="ti" dir="ltr">ትግርኛ</option>' in everything.text  # in its own script
        assert '<option value="ar" lang="ar" dir="rtl">العربية</option>' in everything.text
        assert _titles(everything) == [f"Evening {n:02d}" for n in range(10)]
        assert 'href="/agenda?page=2"' in everything.text and "previous-page" not in everything.text

        tigrinya = visitor.get("/agenda", params={"city": "zwolle", "language": "ti", "lang": "ar"})
        assert '<html lang="ar" dir="rtl">' in tigrinya.text
        assert (
            '<option value="Zwolle" selected>' in tigrinya.text
            and 'value="ti" lang="ti" dir="ltr" selected' in tigrinya.text
        )
        assert _titles(tigrinya) == [f"Evening {n:02d}" for n in range(10)]
        assert f'href="/s/{planned["tigrinya"][0]["id"]}"' in tigrinya.text
        second = visitor.get("/agenda?city=Zwolle&language=ti&page=2")
        assert _titles(second) == ["Evening 10", "Evening 11"]
        assert 'href="/agenda?city=Zwolle&amp;language=ti&amp;page=1"' in second.text and "next-page" not in second.text
        assert '<html lang="ar"' in second.text  # the language chosen stays chosen

        arabic = visitor.get("/agenda?city=Amsterdam&language=ar&lang=en")
        assert _titles(arabic) == ["Morning in Amsterdam"] and "Called off" not in arabic.text
        assert "Amsterdam" in arabic.text and "Arabic and Dutch" in arabic.text
        none = visitor.get("/agenda?city=Amsterdam&language=ti&lang=en")
        assert _titles(none) == [] and 'id="no-meetings"' in none.text
        # an unknown city or language, or a page that is no number, is no filter: the first page of all
        odd = visitor.get("/agenda?city=Atlantis&language=xx&page=abc&lang=en")
        assert odd.status_code == 200 and _titles(odd) == _titles(everything)
    for page in (everything, tigrinya, second, arabic, none, odd):
        assert indiscretions(page.text) == [] and INTERNAL_TITLE not in page.text
        assert "women" not in page.text.lower() and "Keizersgracht" not in page.text  # no audience, no address


def test_every_session_page_links_the_agenda_even_a_called_off_one(server: ThreadedServer, api: httpx.Client) -> None:
    """Someone whose meeting is full, over or called off finds the others from its page."""
    private = make_session(api)
    called_off = make_session(api)
    assert api.post(f"/api/v1/sessions/{called_off['id']}/cancel", json={"reason_code": "illness"}).status_code == 200
    with browser(server) as visitor:
        for session in (private, called_off):
            page = visitor.get(f"/s/{session['id']}", headers={"Accept-Language": "ti"})
            assert page.status_code == 200
            assert '<a id="agenda-link" href="/agenda">' in page.text
            assert visitor.get("/agenda", headers={"Accept-Language": "ti"}).status_code == 200
