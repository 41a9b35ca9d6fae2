"""The public agenda in the browser: filters as a plain form, ten meetings a page, each a tap from its
session page; in Arabic, right to left, at 360 px.

Only the scheduler is needed: it runs in a thread for this module (the staff page tests' fixtures),
not the whole system."""

from __future__ import annotations

from typing import Any

import httpx

from shared.i18n import translate
from tests.browser.helpers import check_accessible, check_discreet, check_fits, screenshot, text_of
from tests.scheduler.staff_pages.conftest import api, database, server, settings_overrides
from tests.support.factories import make_session, make_venue
from tests.support.servers import ThreadedServer

__all__ = ["api", "database", "server", "settings_overrides"]


def test_the_agenda_finds_meetings_by_city_and_language_and_pages_to_each(
    server: ThreadedServer, api: httpx.Client, open_context: Any
) -> None:
    zwolle, the_hague = make_venue(api, city="Zwolle"), make_venue(api, city="Den Haag")
    evenings = [
        make_session(
            api,
            zwolle,
            public=True,
            languages=["ti", "ar"],
            public_title=f"Evening {n:02d}",
            public_titles={"ar": f"لقاء المساء {n:02d}"},
        )
        for n in range(11)
    ]
    make_session(api, the_hague, public=True, languages=["fa"], public_title="Morning in The Hague")
    page = open_context(locale="ar-SY").new_page()
    page.goto(f"{server.url}/agenda")
    assert (page.get_attribute("html", "lang"), page.get_attribute("html", "dir")) == ("ar", "rtl")
    assert page.title() == translate("ar", "Upcoming meetings")
    assert page.locator("#language option[lang=ti]").inner_text() == "ትግርኛ"  # named in its own script
    assert page.locator("#meetings > li").count() == 10
    check_discreet(page)
    check_accessible(page)
    check_fits(page)
    screenshot(page, "agenda-ar", widths=(360,))
    check_fits(page, 320)

    page.select_option("#city", "Zwolle")
    page.select_option("#language", "ti")
    page.get_by_role("button", name=translate("ar", "Show")).click()
    page.wait_for_url("**/agenda?city=Zwolle&language=ti")
    assert page.locator("#meetings > li").count() == 10
    page.get_by_role("link", name=translate("ar", "Next page")).click()
    assert page.locator("#meetings > li").count() == 1
    assert text_of(page, "#meetings h2") == "لقاء المساء 10"  # the title in the page's language
    check_accessible(page)
    page.locator("#meetings h2 a").click()
    page.wait_for_url(f"**/s/{evenings[10]['id']}")
    assert page.title() == "لقاء المساء 10" and page.get_attribute("html", "lang") == "ar"

    page.goto(f"{server.url}/agenda?city=Den+Haag&language=ti")
    assert page.locator("#meetings").count() == 0 and page.locator("#no-meetings").is_visible()
