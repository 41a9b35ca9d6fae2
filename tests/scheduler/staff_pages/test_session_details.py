"""A session's details on its staff page: the public listing, places and the waitlist, who may change them."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import httpx

from tests.scheduler.staff_pages.pages import browser, post_form, sign_in, text_of
from tests.support.factories import book, make_session, make_user
from tests.support.servers import ThreadedServer


def _listed(api: httpx.Client, session: dict[str, Any]) -> bool:
    starts = datetime.fromisoformat(session["starts_at"])
    window = {"from": starts.isoformat(), "to": (starts + timedelta(minutes=1)).isoformat()}
    listing = api.get("/api/v1/public/sessions", params=window)
    assert listing.status_code == 200, listing.text
    return session["id"] in {entry["id"] for entry in listing.json()}


def test_the_session_page_lists_it_on_the_public_page_and_back_and_audits_the_change(
    staffed: dict[str, Any], api: httpx.Client
) -> None:
    session = staffed["session"]
    door = f"/staff/sessions/{session['id']}"
    page = staffed["mine"].get(door)
    assert f'action="{door}/details"' in page.text and 'id="public"' in page.text
    assert not session["public"] and not _listed(api, session)

    listed = post_form(staffed["mine"], door, f"{door}/details", public="yes", capacity="10")
    assert listed.status_code == 200
    assert text_of(listed, "door-result") == "Saved."
    assert re.search(r'id="public"[^>]* checked', listed.text)
    assert _listed(api, session) and api.get(f"/api/v1/sessions/{session['id']}").json()["public"] is True
    entries = api.get("/api/v1/audit", params={"action": "session.changed"}).json()["entries"]
    mine = [e for e in entries if e["targets"].get("session_id") == session["id"]]
    assert len(mine) == 1 and mine[0]["actor_id"] == staffed["me"]["id"] and "public" in mine[0]["targets"]["fields"]

    unlisted = post_form(staffed["mine"], door, f"{door}/details", capacity="10")  # the box left empty
    assert unlisted.status_code == 200 and not re.search(r'id="public"[^>]* checked', unlisted.text)
    assert not _listed(api, session)
    in_dutch = post_form(staffed["mine"], f"{door}?lang=nl", f"{door}/details?lang=nl", capacity="10")
    assert "Te zien op de openbare pagina" in in_dutch.text


def test_more_places_seat_the_waitlist_and_fewer_than_taken_are_refused(
    staffed: dict[str, Any], api: httpx.Client
) -> None:
    session = make_session(api, capacity=2, ambassador_ids=[staffed["me"]["id"]])
    door = f"/staff/sessions/{session['id']}"
    seated = [book(api, session["id"]), book(api, session["id"])]
    waiting = [book(api, session["id"]), book(api, session["id"])]
    assert [b["status"] for b in seated + waiting] == ["confirmed", "confirmed", "waitlisted", "waitlisted"]

    def shown(booking: dict[str, Any]) -> str:
        answer = api.get(f"/api/v1/bookings/{booking['code']}", params={"token": booking["manage_token"]})
        return str(answer.json()["status"])

    raised = post_form(staffed["mine"], door, f"{door}/details", capacity="3")
    assert raised.status_code == 200 and text_of(raised, "door-result") == "Saved."
    assert (text_of(raised, "count-booked"), text_of(raised, "count-waitlist")) == ("3", "1")
    assert [shown(b) for b in waiting] == ["confirmed", "waitlisted"]
    counts = api.get(f"/api/v1/sessions/{session['id']}").json()
    assert (counts["capacity"], counts["confirmed"], counts["waitlisted"]) == (3, 3, 1)

    lowered = post_form(staffed["mine"], door, f"{door}/details", public="yes", capacity="2")
    assert lowered.status_code == 409
    assert text_of(lowered, "door-result") == "That did not work."
    assert "3 seats are already taken" in text_of(lowered, "door-detail")
    after = api.get(f"/api/v1/sessions/{session['id']}").json()
    assert (after["capacity"], after["public"]) == (3, False)  # nothing changed, the listing neither
    assert 'id="capacity" name="capacity"' in lowered.text and 'value="3"' in lowered.text
    nonsense = post_form(staffed["mine"], door, f"{door}/details", capacity="0")
    assert nonsense.status_code == 422 and "Give a number of places, 1 or more." in nonsense.text
    assert api.get(f"/api/v1/sessions/{session['id']}").json()["capacity"] == 3


def test_the_details_form_needs_its_csrf_token_and_the_sessions_own_ambassador(
    server: ThreadedServer, staffed: dict[str, Any], api: httpx.Client
) -> None:
    session_id = staffed["session"]["id"]
    target = f"/staff/sessions/{session_id}/details"
    forged = staffed["mine"].post(target, data={"public": "yes", "capacity": "12"})
    assert forged.status_code == 403 and "This page was open too long" in forged.text
    made_up = staffed["mine"].post(target, data={"csrf": "made-up", "public": "yes", "capacity": "12"})
    assert made_up.status_code == 403
    other = post_form(staffed["theirs"], "/staff", target, public="yes", capacity="12")
    assert other.status_code == 403 and f'action="{target}"' not in other.text
    assert f'action="{target}"' not in staffed["theirs"].get(f"/staff/sessions/{session_id}").text
    staff = make_user(api, role="provider_staff")
    theirs = make_session(api, provider_id=staff["provider_id"])
    with browser(server) as client:
        sign_in(client, staff["email"])
        page = client.get(f"/staff/sessions/{theirs['id']}")
        assert page.status_code == 200 and 'id="details-form"' not in page.text
        refused = post_form(client, "/staff", f"/staff/sessions/{theirs['id']}/details", capacity="12")
        assert refused.status_code == 403
    assert api.get(f"/api/v1/sessions/{session_id}").json()["capacity"] == 10
    assert api.get(f"/api/v1/sessions/{theirs['id']}").json()["capacity"] == 10
    assert not api.get(f"/api/v1/sessions/{session_id}").json()["public"]
