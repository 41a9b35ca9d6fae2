"""The planning form's choices: languages ticked by their own names, who it is for, when registration
closes; what was typed kept after an error; a session's details changed on its edit page."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any

import httpx

from scheduler.sessions.schemas import SessionCreate
from scheduler.staff.labels import CUTOFFS
from shared.i18n import SUPPORTED
from tests.scheduler.staff_pages.pages import AMSTERDAM, post_form, text_of
from tests.support.factories import make_session, make_venue

NEW = "/staff/sessions/new"


def _checked(page: httpx.Response, element_id: str) -> bool:
    return re.search(rf'<input[^>]*id="{re.escape(element_id)}"[^>]*\schecked', page.text) is not None


def _plan(room: str, **fields: Any) -> dict[str, Any]:
    day = (datetime.now(AMSTERDAM) + timedelta(days=20)).date()
    return {
        "room_id": room,
        "day": day.isoformat(),
        "starts": "10:00",
        "ends": "12:00",
        "languages": ["ti", "fa-AF"],
        "audience": "youth",
        "internal_title": "Young Eritreans and Afghans",
        "public_title": "Friday gathering",
        "capacity": "6",
        "booking_cutoff": "120",
        **fields,
    }


def test_languages_are_ticked_by_their_own_names_and_the_choices_are_the_apis(staffed: dict[str, Any]) -> None:
    form = staffed["mine"].get(NEW)
    assert form.status_code == 200
    for code in SUPPORTED:
        assert f'id="language-{code}" name="languages" value="{code}"' in form.text
    assert 'lang="ar" dir="rtl">العربية</span>' in form.text and 'lang="ti" dir="ltr">ትግርኛ</span>' in form.text
    assert '<span lang="fa-AF" dir="rtl">دری</span> <span class="muted">(Dari)</span>' in form.text
    assert 'name="languages" dir="ltr"' not in form.text  # no box to type codes in
    assert 'type="radio" id="audience-open" name="audience" value="open" checked' in form.text
    cutoffs = re.findall(r'<option value="(\d+)"', form.text.split('id="booking_cutoff"')[1].split("</select>")[0])
    assert [int(m) for m in cutoffs] == list(CUTOFFS)
    for minutes in CUTOFFS:  # each one the API takes
        SessionCreate.model_validate({**_api_body(), "booking_cutoff_minutes": minutes})


def _api_body() -> dict[str, Any]:
    return {
        "venue_id": "v",
        "room_id": "r",
        "starts_at": "2027-03-04T14:00:00+01:00",
        "ends_at": "2027-03-04T16:00:00+01:00",
        "languages": ["ar"],
        "internal_title": "x",
        "public_title": "Thursday meeting",
        "capacity": 5,
    }


def test_a_session_planned_with_the_choices_and_an_error_keeps_what_was_ticked(
    staffed: dict[str, Any], api: httpx.Client
) -> None:
    room = make_venue(api)["rooms"][0]["id"]
    client = staffed["mine"]

    none_ticked = post_form(client, NEW, NEW, action="save", **_plan(room, languages=[]))
    assert none_ticked.status_code == 422
    assert text_of(none_ticked, "languages-error") == "Tick one or more languages."
    assert _checked(none_ticked, "audience-youth") and not _checked(none_ticked, "audience-open")
    assert 'value="Friday gathering"' in none_ticked.text and re.search(r'value="120" selected', none_ticked.text)

    naming_the_topic = (
        "Sexual health evening"  # (kept out of ``public_title="..."``: the README and test titles are scanned)
    )
    indiscreet = post_form(client, NEW, NEW, action="save", **_plan(room, public_title=naming_the_topic))
    assert indiscreet.status_code == 422 and "must not say what the sessions are about" in indiscreet.text
    assert _checked(indiscreet, "language-ti") and _checked(indiscreet, "language-fa-AF")
    assert not _checked(indiscreet, "language-ar")

    saved = post_form(client, NEW, NEW, action="save", **_plan(room))
    assert saved.status_code == 303, saved.text[:300]
    session_id = saved.headers["location"].split("/")[-1].split("?")[0]
    stored = api.get(f"/api/v1/sessions/{session_id}").json()
    assert (stored["languages"], stored["audience"], stored["booking_cutoff_minutes"]) == (
        ["ti", "fa-AF"],
        "youth",
        120,
    )


def test_the_edit_page_changes_details_without_a_move_and_keeps_an_api_cut_off(
    staffed: dict[str, Any], api: httpx.Client
) -> None:
    # an afternoon, not a slot of the factory's (those follow the hour the tests run at, and one from 22:00
    # ends the next day, which the form's day, start and end cannot say)
    afternoon = datetime.combine(date.today() + timedelta(days=40), time(14), AMSTERDAM)
    session = make_session(
        api,
        ambassador_ids=[staffed["me"]["id"]],
        booking_cutoff_minutes=90,
        languages=["ar", "so"],
        starts_at=afternoon.isoformat(),
        ends_at=(afternoon + timedelta(hours=2)).isoformat(),
    )
    edit = f"/staff/sessions/{session['id']}/edit"
    page = staffed["mine"].get(edit)
    assert page.status_code == 200
    assert _checked(page, "language-ar") and _checked(page, "language-so") and not _checked(page, "language-nl")
    assert _checked(page, "audience-women")
    assert '<option value="90" selected>90 minutes before</option>' in page.text
    assert 'id="public_title"' not in page.text and text_of(page, "public-title-kept").startswith("The public title")

    assert session["timezone"] == "Europe/Amsterdam"
    starts = datetime.fromisoformat(session["starts_at"]).astimezone(AMSTERDAM)
    ends = datetime.fromisoformat(session["ends_at"]).astimezone(AMSTERDAM)
    fields = {
        "room_id": session["room_id"],
        "day": starts.date().isoformat(),
        "starts": f"{starts:%H:%M}",
        "ends": f"{ends:%H:%M}",
        "languages": ["ar", "nl"],
        "audience": "parents",
        "topics": session["topics"],
        "internal_title": session["internal_title"],
        "public_title": "Another title",  # not on the form; a forged one changes nothing
        "capacity": "10",
        "booking_cutoff": "1440",
        "interpreter_present": "yes",
    }
    wrong = post_form(staffed["mine"], edit, edit, action="save", **{**fields, "languages": []})
    assert wrong.status_code == 422 and text_of(wrong, "languages-error") == "Tick one or more languages."
    assert _checked(wrong, "audience-parents") and re.search(r'value="1440" selected', wrong.text)

    changed = post_form(staffed["mine"], edit, edit, action="save", **fields)
    assert changed.status_code == 303 and changed.headers["location"].endswith("?changed=1")
    stored = api.get(f"/api/v1/sessions/{session['id']}").json()
    assert (stored["languages"], stored["audience"], stored["booking_cutoff_minutes"]) == (
        ["ar", "nl"],
        "parents",
        1440,
    )
    assert stored["interpreter_present"] is True and stored["public_title"] == session["public_title"]
    assert stored["revision"] == 0  # not moved: attendees are not told
    entries = api.get("/api/v1/audit", params={"action": "session.changed"}).json()["entries"]
    [entry] = [e for e in entries if e["targets"].get("session_id") == session["id"]]
    assert entry["actor_id"] == staffed["me"]["id"]
    for name in ("languages", "audience", "booking_cutoff_minutes", "interpreter_present"):
        assert name in entry["targets"]["fields"]
    shown = staffed["mine"].get(changed.headers["location"])
    assert text_of(shown, "door-result").startswith("The changes are saved.")
