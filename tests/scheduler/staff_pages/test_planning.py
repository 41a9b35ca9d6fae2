"""Planning and moving sessions on the staff pages: clashes shown before saving, what to fix."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import httpx

from tests.scheduler.staff_pages.pages import AMSTERDAM, post_form, text_of
from tests.support.factories import make_session, make_venue


def _slot(days: int, hour: int) -> tuple[datetime, datetime]:
    day = (datetime.now(AMSTERDAM) + timedelta(days=days)).date()
    starts = datetime(day.year, day.month, day.day, hour, tzinfo=AMSTERDAM)
    return starts, starts + timedelta(hours=2)


def _form(room_id: str, starts: datetime, ends: datetime, **fields: Any) -> dict[str, Any]:
    return {
        "room_id": room_id,
        "day": starts.date().isoformat(),
        "starts": f"{starts:%H:%M}",
        "ends": f"{ends:%H:%M}",
        "languages": ["ar", "nl"],
        "audience": "women",
        "topics": ["where_to_find_help"],
        "internal_title": "Where to find help (Arabic)",
        "public_title": "Thursday meeting",
        "capacity": "8",
        **fields,
    }


def _titles(api: httpx.Client, title: str) -> int:
    return sum(s["internal_title"] == title for s in api.get("/api/v1/sessions", params={"limit": 500}).json())


def test_a_clash_is_shown_before_saving_and_nothing_is_saved_until_it_is_solved(
    staffed: dict[str, Any], api: httpx.Client
) -> None:
    venue = make_venue(
        api,
        opening_hours=[
            {"weekday": d, "opens": "09:00", "closes": "18:00"}
            for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
        ],
    )
    room = venue["rooms"][0]["id"]
    starts, ends = _slot(10, 14)
    make_session(api, venue, starts_at=starts.isoformat(), ends_at=ends.isoformat(), internal_title="Women's group")
    client, title = staffed["mine"], f"Planned on the page {staffed['me']['id']}"
    new = "/staff/sessions/new"

    checked = post_form(
        client, new, new, action="check", **_form(room, starts + timedelta(hours=1), ends, internal_title=title)
    )
    assert checked.status_code == 409
    assert "The room is taken" in checked.text and "Room 2 is booked" in checked.text
    assert "Women&#39;s group" in checked.text
    assert 'value="Thursday meeting"' in checked.text  # what was typed stays
    late = post_form(client, new, new, action="check", **_form(room, starts.replace(hour=17), ends.replace(hour=19)))
    assert "The venue is closed then" in late.text and "open 09:00–18:00" in late.text
    saved_anyway = post_form(client, new, new, action="save", **_form(room, starts, ends, internal_title=title))
    assert saved_anyway.status_code == 409 and "The room is taken" in saved_anyway.text
    assert _titles(api, title) == 0

    live = post_form(
        client, new, "/staff/sessions/check", room_id=room, day=starts.date().isoformat(), starts="15:00", ends="16:00"
    )
    assert live.status_code == 200
    assert [p["heading"] for p in live.json()["problems"]] == ["The room is taken"]

    free = post_form(
        client,
        new,
        new,
        action="check",
        **_form(room, starts.replace(hour=9), starts.replace(hour=11), internal_title=title),
    )
    assert free.status_code == 200 and "No clashes" in free.text and _titles(api, title) == 0
    details = {"interpreter_present": "yes", "integration_phase": "reception"}
    saved = post_form(
        client,
        new,
        new,
        action="save",
        **_form(room, starts.replace(hour=9), starts.replace(hour=11), internal_title=title, **details),
    )
    assert saved.status_code == 303
    session_id = saved.headers["location"].split("/")[-1].split("?")[0]
    stored = api.get(f"/api/v1/sessions/{session_id}").json()
    assert stored["internal_title"] == title and stored["ambassador_ids"] == [staffed["me"]["id"]]
    assert (stored["interpreter_present"], stored["integration_phase"]) == (True, "reception")
    assert datetime.fromisoformat(stored["starts_at"]).astimezone(AMSTERDAM).hour == 9
    page = client.get(saved.headers["location"])
    assert "The session is saved" in page.text
    assert text_of(page, "integration-phase") == "Reception: living in a reception centre"
    assert text_of(page, "interpreter") == "An interpreter is present"


def test_the_form_says_what_to_fix(staffed: dict[str, Any], api: httpx.Client) -> None:
    room = make_venue(api)["rooms"][0]["id"]
    starts, ends = _slot(12, 10)
    new = "/staff/sessions/new"
    form = staffed["mine"].get(new)
    assert 'name="interpreter_present"' in form.text and '<option value="settled">' in form.text
    unknown = post_form(staffed["mine"], new, new, action="check", **_form(room, starts, ends, integration_phase="x"))
    assert unknown.status_code == 422 and text_of(unknown, "integration_phase-error") == "This does not look right."
    wrong = post_form(
        staffed["mine"], new, new, action="check", **_form(room, ends, starts, languages=[], capacity="0")
    )
    assert wrong.status_code == 422
    assert text_of(wrong, "ends-error") == "The end must be after the start."
    no_language = post_form(staffed["mine"], new, new, action="check", **_form(room, starts, ends, languages=[]))
    assert no_language.status_code == 422 and text_of(no_language, "languages-error") == "Tick one or more languages."
    too_big = post_form(staffed["mine"], new, new, action="check", **_form(room, starts, ends, capacity="50"))
    assert too_big.status_code == 409 and "Too many places for this room" in too_big.text


def test_a_session_is_moved_after_the_same_check(staffed: dict[str, Any], api: httpx.Client) -> None:
    venue = make_venue(api)
    room = venue["rooms"][0]["id"]
    starts, ends = _slot(14, 10)
    mine = make_session(
        api, venue, starts_at=starts.isoformat(), ends_at=ends.isoformat(), ambassador_ids=[staffed["me"]["id"]]
    )
    make_session(
        api, venue, starts_at=(starts + timedelta(hours=4)).isoformat(), ends_at=(ends + timedelta(hours=4)).isoformat()
    )
    edit = f"/staff/sessions/{mine['id']}/edit"
    form = {"room_id": room, "day": starts.date().isoformat(), **_details_of(mine)}

    clash = post_form(staffed["mine"], edit, edit, action="save", starts="13:30", ends="15:00", **form)
    assert clash.status_code == 409 and "The room is taken" in clash.text
    assert api.get(f"/api/v1/sessions/{mine['id']}").json()["revision"] == 0
    moved = post_form(staffed["mine"], edit, edit, action="save", starts="11:00", ends="12:30", **form)
    assert moved.status_code == 303
    assert api.get(f"/api/v1/sessions/{mine['id']}").json()["revision"] == 1
    # audited as the API's move is
    entries = api.get("/api/v1/audit", params={"action": "session.rescheduled"}).json()["entries"]
    [entry] = [e for e in entries if e["targets"].get("session_id") == mine["id"]]
    assert (entry["actor_id"], entry["targets"]["revision"]) == (staffed["me"]["id"], "1")


def test_a_capacity_typed_with_other_digits_is_read_and_a_superscript_is_refused(
    staffed: dict[str, Any], api: httpx.Client
) -> None:
    venue = make_venue(
        api,
        opening_hours=[
            {"weekday": d, "opens": "08:00", "closes": "20:00"} for d in ("mon", "tue", "wed", "thu", "fri")
        ],
    )
    room, (starts, ends) = venue["rooms"][0]["id"], _slot(12, 10)
    starts, ends = _weekday(starts), _weekday(ends)
    client, new = staffed["mine"], "/staff/sessions/new"
    title = f"Capacity in Arabic digits {staffed['me']['id']}"
    saved = post_form(client, new, new, action="save", **_form(room, starts, ends, internal_title=title, capacity="١٢"))
    assert saved.status_code == 303, saved.text[:500]
    session_id = saved.headers["location"].split("/")[-1].split("?")[0]
    assert api.get(f"/api/v1/sessions/{session_id}").json()["capacity"] == 12
    odd = post_form(client, new, new, action="save", **_form(room, starts, ends, capacity="²"))
    assert odd.status_code == 422 and "capacity" in odd.text.lower()


def _details_of(session: dict[str, Any]) -> dict[str, Any]:
    """The details the edit form shows for ``session``, as a browser sends them back unchanged."""
    return {
        "languages": session["languages"],
        "audience": session["audience"],
        "topics": session["topics"],
        "internal_title": session["internal_title"],
        "capacity": str(session["capacity"]),
        "booking_cutoff": str(session["booking_cutoff_minutes"]),
        "public": "yes" if session["public"] else "",
    }


def _weekday(moment: datetime) -> datetime:
    """The same time on the next weekday, for a venue open on weekdays."""
    while moment.weekday() >= 5:
        moment += timedelta(days=1)
    return moment
