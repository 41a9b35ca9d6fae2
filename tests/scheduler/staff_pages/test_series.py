"""A series on the staff pages: the rule chosen in words, a report per date before saving (which dates
clash, with what), then the free dates saved, audited as the API's series is."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import httpx

from scheduler.staff.forms import SeriesRule
from tests.scheduler.staff_pages.pages import AMSTERDAM, post_form, text_of
from tests.support.factories import make_session, make_venue

SERIES = "/staff/sessions/series"
EVERY_DAY = [
    {"weekday": d, "opens": "09:00", "closes": "18:00"} for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
]


def test_the_rule_is_made_from_the_choices() -> None:
    second_thursday, fifth_monday = date(2027, 3, 11), date(2027, 3, 29)
    assert SeriesRule("monthly_weekday", count="6").rrule(second_thursday) == "FREQ=MONTHLY;BYDAY=2TH;COUNT=6"
    assert SeriesRule("monthly_weekday", count="3").rrule(fifth_monday) == "FREQ=MONTHLY;BYDAY=-1MO;COUNT=3"
    fortnightly = SeriesRule("fortnightly", until="2027-06-30").rrule(second_thursday)
    assert fortnightly == "FREQ=WEEKLY;INTERVAL=2;UNTIL=20270630"
    assert SeriesRule("monthly_date", count="12").rrule(second_thursday) == "FREQ=MONTHLY;COUNT=12"
    for wrong in (SeriesRule("weekly"), SeriesRule("weekly", "4", "2027-06-30"), SeriesRule("weekly", "53")):
        assert wrong.rrule(second_thursday) is None and "count" in wrong.errors
    daily = SeriesRule("daily", count="4")
    assert daily.rrule(second_thursday) is None and "repeat" in daily.errors


def _series(room: str, first: date, **fields: Any) -> dict[str, Any]:
    return {
        "room_id": room,
        "day": first.isoformat(),
        "starts": "10:00",
        "ends": "12:00",
        "languages": ["so"],
        "audience": "open",
        "internal_title": "Somali mothers, weekly",
        "public_title": "Morning coffee",
        "capacity": "6",
        "repeat": "weekly",
        "count": "4",
        **fields,
    }


def test_each_date_is_reported_before_saving_and_only_the_free_ones_are_saved(
    staffed: dict[str, Any], api: httpx.Client
) -> None:
    venue = make_venue(api, opening_hours=EVERY_DAY)
    room = venue["rooms"][0]["id"]
    first = (datetime.now(AMSTERDAM) + timedelta(days=30)).date()
    taken = datetime(first.year, first.month, first.day, 11, tzinfo=AMSTERDAM) + timedelta(days=7)
    make_session(
        api,
        venue,
        starts_at=taken.isoformat(),
        ends_at=(taken + timedelta(hours=2)).isoformat(),
        internal_title="Other",
    )
    client, title = staffed["mine"], f"Somali mothers {staffed['me']['id']}"

    assert 'href="/staff/sessions/series"' in client.get("/staff/sessions/new").text
    no_end = post_form(client, SERIES, SERIES, action="check", **_series(room, first, count=""))
    assert no_end.status_code == 422 and text_of(no_end, "count-error").startswith("Give the number of dates")
    assert 'id="language-so" name="languages" value="so" checked' in no_end.text  # what was ticked stays

    checked = post_form(client, SERIES, SERIES, action="check", **_series(room, first, internal_title=title))
    assert checked.status_code == 200
    assert text_of(checked, "report-heading") == "3 of 4 dates can be planned"
    report = checked.text.split('id="series-report"')[1].split("</section>")[0]
    dates = [report.split(f'id="date-{n}"')[1].split('id="date-')[0] for n in (1, 2, 3, 4)]
    assert "The room is taken" in dates[1] and "Other" in dates[1] and "Free" not in dates[1]
    assert all("Free" in dates[n] and "problem" not in dates[n] for n in (0, 2, 3))
    assert text_of(checked, "save-series") == "Save the 3 free dates"
    assert not [s for s in api.get("/api/v1/sessions", params={"limit": 500}).json() if s["internal_title"] == title]

    saved = post_form(client, SERIES, SERIES, action="save", **_series(room, first, internal_title=title))
    assert saved.status_code == 303 and saved.headers["location"].endswith("?series=3&left_out=1")
    planned = [s for s in api.get("/api/v1/sessions", params={"limit": 500}).json() if s["internal_title"] == title]
    assert len(planned) == 3 and len({s["series_id"] for s in planned}) == 1
    assert all(s["ambassador_ids"] == [staffed["me"]["id"]] and s["languages"] == ["so"] for s in planned)
    entries = api.get("/api/v1/audit", params={"action": "session.series_created"}).json()["entries"]
    [entry] = [e for e in entries if e["targets"].get("series_id") == planned[0]["series_id"]]
    assert (entry["actor_id"], entry["targets"]["sessions"]) == (staffed["me"]["id"], "3")
    shown = client.get(saved.headers["location"])
    assert text_of(shown, "door-result").startswith("The series is saved: 3 sessions.")
    assert "Dates left out because they clashed: 1." in text_of(shown, "door-result")
