"""Venues, an ambassador's hours and allowance on the staff pages, and address changes re-announced."""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from tests.scheduler.staff_pages.pages import AMSTERDAM, browser, post_form, sign_in, text_of
from tests.support.config import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.support.factories import log_hours, make_session, make_user, make_venue
from tests.support.servers import ThreadedServer


def test_coordinators_and_ambassadors_add_venues_and_provider_staff_only_see_them(
    server: ThreadedServer, staffed: dict[str, Any], api: httpx.Client
) -> None:
    fields = {
        "name": "Bibliotheek Oost",
        "public_name": "Linnaeusstraat 44",
        "kind": "library",
        "address": "Linnaeusstraat 44, Amsterdam",
        "city": "Amsterdam",
        "room_name": ["Zaal 1", "", ""],
        "room_capacity": ["15", "", ""],
        "opens": ["09:00", "", "", "", "", "", ""],  # Monday to Sunday, as the form sends them
        "closes": ["17:00", "", "", "", "", "", ""],
    }
    with browser(server) as provider_staff:
        sign_in(provider_staff, make_user(api, role="provider_staff")["email"])
        refused = post_form(provider_staff, "/staff/venues", "/staff/venues", **fields)
        assert refused.status_code == 403
        listed = provider_staff.get("/staff/venues")
        assert listed.status_code == 200 and 'action="/staff/venues"' not in listed.text
    by_ambassador = post_form(staffed["mine"], "/staff/venues", "/staff/venues", **{**fields, "name": "Taalcafé Oost"})
    assert by_ambassador.status_code == 303
    with browser(server) as coordinator:
        sign_in(coordinator, ADMIN_EMAIL, ADMIN_PASSWORD)
        missing = post_form(coordinator, "/staff/venues", "/staff/venues", **{**fields, "room_name": ["", "", ""]})
        assert missing.status_code == 422 and "Give at least one room" in missing.text
        half = post_form(coordinator, "/staff/venues", "/staff/venues", **{**fields, "closes": [""] * 7})
        assert half.status_code == 422 and "Give both times of an open day" in half.text
        access = {"accessibility_notes": "Step-free entrance on the side", "private_entrance": "yes"}
        added = post_form(coordinator, "/staff/venues", "/staff/venues", **fields, **access)
        assert added.status_code == 303
    listed = staffed["mine"].get("/staff/venues")
    assert "Bibliotheek Oost" in listed.text and "Taalcafé Oost" in listed.text and "Zaal 1: 15 places" in listed.text
    assert "Monday 09:00–17:00" in listed.text
    assert "Accessibility: Step-free entrance on the side" in listed.text
    assert listed.text.count("Private entrance: attendees are not seen going in") == 1  # the coordinator's only


def test_the_month_shows_the_allowance_against_the_cap_and_the_statement(
    staffed: dict[str, Any], api: httpx.Client
) -> None:
    me, month = staffed["me"], "2026-06"  # a month of a year with a cap (BRUG_ALLOWANCE_CAPS' default)
    june = datetime(2026, 6, 10, 14, tzinfo=AMSTERDAM)
    worked = make_session(
        api, starts_at=june.isoformat(), ends_at=(june + timedelta(hours=2)).isoformat(), ambassador_ids=[me["id"]]
    )
    log_hours(api, kind="session", session_id=worked["id"], user_id=me["id"], hours=2, allowance="150")
    page = staffed["mine"].get("/staff/hours", params={"month": month})
    assert page.status_code == 200
    meter = re.search(r"<meter[^>]*>", page.text)
    assert meter and 'max="170.00"' in meter.group(0) and 'value="150.00"' in meter.group(0)
    assert text_of(page, "allowance-text") == "EUR 150.00 of EUR 170.00; EUR 20.00 left this month."
    statement = staffed["mine"].get(f"/staff/hours/{me['id']}/{month}.csv")
    assert statement.status_code == 200 and statement.headers["content-type"].startswith("text/csv")
    assert statement.text.splitlines()[0].startswith("date,kind,session_id,hours")
    assert staffed["theirs"].get(f"/staff/hours/{me['id']}/{month}.csv").status_code == 403

    limited = api.patch(f"/api/v1/users/{me['id']}", json={"monthly_allowance_limit": "120"})
    assert limited.status_code == 200
    page = staffed["mine"].get("/staff/hours", params={"month": month})
    assert text_of(page, "allowance-text") == "EUR 150.00 of EUR 120.00; EUR 0.00 left this month."
    assert "personal monthly limit of EUR 120.00" in text_of(page, "cap-warning")
    dutch = staffed["mine"].get("/staff/hours", params={"month": month, "lang": "nl"})
    assert (
        "De vergoeding voor 2026-06 is EUR 150.00, EUR 30.00 boven de persoonlijke maandgrens van EUR 120.00; "
        "uitbetalen kan de uitkering van de ambassadeur verlagen. Betaal het deel erboven niet uit."
    ) in text_of(dutch, "cap-warning")
    assert staffed["mine"].get("/staff/hours", params={"lang": "en"}).status_code == 200  # the choice is remembered
    assert text_of(page, "cap-source") == "The cap is this ambassador's personal limit, lower than the legal one."
    uncapped = {"allowance_capped": False, "monthly_allowance_limit": None}
    assert api.patch(f"/api/v1/users/{me['id']}", json=uncapped).status_code == 200
    page = staffed["mine"].get("/staff/hours", params={"month": month})
    assert "<meter" not in page.text and 'id="cap-warning"' not in page.text
    assert text_of(page, "allowance-text") == "EUR 150.00 this month; no cap applies to this ambassador."


def test_a_coordinator_sets_an_ambassadors_allowance_on_the_hours_page_and_the_month_follows(
    server: ThreadedServer, staffed: dict[str, Any], api: httpx.Client
) -> None:
    me, month = staffed["me"], "2026-06"
    page = f"/staff/hours?user_id={me['id']}&month={month}"
    target = f"/staff/hours/{me['id']}/allowance"
    assert 'id="allowance-settings"' not in staffed["mine"].get("/staff/hours").text  # coordinators only
    refused = post_form(staffed["mine"], "/staff/hours", target, capped="yes", limit="1000")
    assert refused.status_code == 403
    assert api.get(f"/api/v1/users/{me['id']}").json()["monthly_allowance_limit"] is None

    with browser(server) as coordinator:
        sign_in(coordinator, ADMIN_EMAIL, ADMIN_PASSWORD)
        shown = coordinator.get(page)
        assert f'action="{target}"' in shown.text and 'name="capped" value="yes" checked' in shown.text
        saved = post_form(coordinator, page, target, month=month, capped="yes", limit="120,50", per_session="90")
        assert saved.status_code == 303 and saved.headers["location"].endswith("#allowance-settings")
        after = coordinator.get(saved.headers["location"])
        assert "The allowance settings are saved." in text_of(after, "allowance-saved")
        assert text_of(after, "allowance-text") == "EUR 0.00 of EUR 120.50; EUR 120.50 left this month."
        assert 'value="120.50"' in after.text and 'value="90.00"' in after.text  # the form shows what is stored
        account = api.get(f"/api/v1/users/{me['id']}").json()
        assert (account["monthly_allowance_limit"], account["session_allowance"]) == ("120.50", "90.00")
        entries = api.get("/api/v1/audit", params={"action": "account.updated"}).json()["entries"]
        assert [e for e in entries if e["targets"].get("account_id") == me["id"]]  # audited as the API's change is

        # what cannot be stored is said beside its field, and nothing changes
        for fields, field, message in [
            ({"capped": "yes", "limit": "a lot"}, "limit", "Give an amount in euro, like 120 or 120.50"),
            ({"capped": "yes", "per_session": "-5"}, "per_session", "Give an amount in euro, like 120 or 120.50"),
            ({"limit": "100"}, "limit", "A personal limit only applies with the cap: tick the box"),
            # a thousands separator is not taken for cents (it would pay 1.20), nor is any other way of writing
            ({"capped": "yes", "limit": "1,200"}, "limit", "Give an amount in euro, like 120 or 120.50"),
            ({"capped": "yes", "limit": "1.200"}, "limit", "Give an amount in euro, like 120 or 120.50"),
            ({"capped": "yes", "per_session": "1e3"}, "per_session", "Give an amount in euro, like 120 or 120.50"),
        ]:
            wrong = post_form(coordinator, page, target, month=month, **fields)
            assert wrong.status_code == 422 and message in text_of(wrong, f"{field}-error")
            assert f'id="{field}" name="{field}"' in wrong.text and 'aria-invalid="true"' in wrong.text
        assert api.get(f"/api/v1/users/{me['id']}").json()["monthly_allowance_limit"] == "120.50"

        # a month of a year the setting has no cap for: the settings can still be changed there
        no_cap = f"/staff/hours?user_id={me['id']}&month=2027-01"
        shown = coordinator.get(no_cap)
        assert shown.status_code == 422 and "No monthly allowance cap is set for 2027" in shown.text
        assert f'action="{target}"' in shown.text
        typo = post_form(coordinator, no_cap, target, month="2027-01", capped="yes", limit="12O")
        assert typo.status_code == 422 and 'value="12O"' in typo.text
        assert "Give an amount in euro" in text_of(typo, "limit-error")
        dutch = coordinator.get(f"{no_cap}&lang=nl")
        assert "Voor 2027 is geen maandmaximum voor de vergoeding ingesteld (wel voor: 2026)" in html.unescape(
            dutch.text
        )
        assert coordinator.get(page, params={"lang": "en"}).status_code == 200  # the choice is remembered
        # only ambassadors have allowance settings
        coordinator_id = api.get("/api/v1/auth/me").json()["id"]
        assert 'id="allowance-settings"' not in coordinator.get(f"/staff/hours?user_id={coordinator_id}").text

        # no longer on social assistance: no cap, and the limit cleared with it
        uncapped = post_form(coordinator, page, target, month=month, per_session="90")
        assert uncapped.status_code == 303
        assert (
            text_of(coordinator.get(page), "allowance-text")
            == "EUR 0.00 this month; no cap applies to this ambassador."
        )
        account = api.get(f"/api/v1/users/{me['id']}").json()
        assert (account["allowance_capped"], account["monthly_allowance_limit"]) == (False, None)


def test_the_session_page_warns_when_the_month_would_go_over_an_ambassadors_allowance_cap(
    server: ThreadedServer, api: httpx.Client
) -> None:
    ambassador = make_user(api, display_name="Samira", session_allowance="90")
    venue = make_venue(api)
    days = [datetime(2026, 2, day, 10, tzinfo=ZoneInfo("Europe/Amsterdam")) for day in (3, 10)]
    first, second = (
        make_session(
            api,
            venue,
            starts_at=d.isoformat(),
            ends_at=(d + timedelta(hours=2)).isoformat(),
            ambassador_ids=[ambassador["id"]],
        )
        for d in days
    )
    assert second["allowance_warnings"] != []  # 180.00 of 170.00
    with browser(server) as mine:
        assert sign_in(mine, ambassador["email"]).status_code == 303
        page = mine.get(f"/staff/sessions/{first['id']}")
        assert page.status_code == 200
        assert 'id="allowance-warnings"' in page.text and "Over the allowance cap this month:" in page.text
        assert "Samira: the sessions planned in 2026-02 would bring the allowance to EUR 180.00" in page.text
        dutch = mine.get(f"/staff/sessions/{first['id']}", params={"lang": "nl"})
        assert (
            "Samira: met de bijeenkomsten gepland in 2026-02 komt de vergoeding op EUR 180.00 (0 geregistreerd, "
            in (html.unescape(dutch.text))
        )
        assert "over the monthly cap" not in dutch.text
        # once one is called off, the month fits again
        assert api.post(f"/api/v1/sessions/{second['id']}/cancel", json={"reason_code": "illness"}).is_success
        assert 'id="allowance-warnings"' not in mine.get(f"/staff/sessions/{first['id']}").text


def test_a_coordinator_changes_a_venues_address_and_its_upcoming_sessions_are_re_announced(
    server: ThreadedServer, staffed: dict[str, Any], api: httpx.Client
) -> None:
    venue = make_venue(api, public_name="Oost", neighbourhood="Oost", address_hidden_until_hours=24)
    session = make_session(api, venue)
    fields = {
        "public_name": "Oost",
        "address": "Linnaeusstraat 44, 1093 EK Amsterdam",
        "city": "Amsterdam",
        "neighbourhood": "Oost",
        "accessibility_notes": "Lift to floor 2",
    }
    target = f"/staff/venues/{venue['id']}"
    listed = staffed["mine"].get("/staff/venues")
    assert listed.status_code == 200 and f'action="{target}"' not in listed.text  # an ambassador: no edit form
    refused = post_form(staffed["mine"], "/staff/venues", target, **fields)
    assert refused.status_code == 403
    assert api.get(f"/api/v1/venues/{venue['id']}").json()["address"] == venue["address"]
    with browser(server) as coordinator:
        sign_in(coordinator, ADMIN_EMAIL, ADMIN_PASSWORD)
        assert f'action="{target}"' in coordinator.get("/staff/venues").text
        given_away = post_form(coordinator, "/staff/venues", target, **{**fields, "public_name": "Linnaeusstraat 44"})
        assert given_away.status_code == 422
        assert "To hide the address, give a neighbourhood" in given_away.text
        assert 'value="Linnaeusstraat 44"' in given_away.text  # as typed, to correct
        empty = post_form(coordinator, "/staff/venues", target, **{**fields, "city": ""})
        assert empty.status_code == 422 and "Fill this in." in empty.text
        assert api.get(f"/api/v1/sessions/{session['id']}").json()["revision"] == 0

        changed = post_form(coordinator, "/staff/venues", target, **fields)
        assert changed.status_code == 303
        page = coordinator.get(changed.headers["location"])
        assert 'id="venue-changed"' in page.text and "The venue is changed." in page.text
    now = api.get(f"/api/v1/venues/{venue['id']}").json()
    assert (now["address"], now["accessibility_notes"], now["private_entrance"]) == (
        fields["address"],
        "Lift to floor 2",
        False,
    )
    assert api.get(f"/api/v1/sessions/{session['id']}").json()["revision"] == 1  # attendees are told
    entries = api.get("/api/v1/audit", params={"action": "venue.updated"}).json()["entries"]
    assert [e for e in entries if e["targets"].get("venue_id") == venue["id"]]
