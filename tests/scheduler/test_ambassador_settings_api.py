"""An ambassador's allowance settings (capped or not, a personal monthly limit) and changing an account."""

from __future__ import annotations

import csv
import io
from typing import Any

import httpx
import pytest

from tests.support.clock import EARLY_2026, set_clock
from tests.support.factories import log_hours, make_session, make_user, make_venue, signed_in
from tests.support.servers import ThreadedServer


@pytest.fixture
def scheduler(scheduler: httpx.Client, scheduler_server: ThreadedServer) -> httpx.Client:
    """The coordinator's client, on a scheduler whose clock is set before the fixed dates these tests plan on
    (tests/support/clock.py)."""
    set_clock(scheduler_server.app, EARLY_2026)
    return scheduler


#: sessions on fixed days in 2026, so their month (and the year's cap, EUR 170.00) never depend on today.
MARCH = [f"2026-03-{day:02d}T10:00:00+01:00" for day in (3, 10, 17)]


def _patch(client: httpx.Client, user_id: str, body: dict[str, Any]) -> httpx.Response:
    return client.patch(f"/api/v1/users/{user_id}", json=body)


def _settings(user: dict[str, Any]) -> tuple[Any, Any]:
    return user["allowance_capped"], user["monthly_allowance_limit"]


def _session_work(client: httpx.Client, ambassador_id: str, venue: dict[str, Any], day: str, allowance: str) -> Any:
    """Session hours with ``allowance`` for ``ambassador_id`` on a session of ``day``; the month they land in."""
    body = {"starts_at": day, "ends_at": day.replace("T10:", "T12:"), "ambassador_ids": [ambassador_id]}
    session = make_session(client, venue, **body)["id"]
    work = {"kind": "session", "session_id": session, "user_id": ambassador_id, "hours": 2, "allowance": allowance}
    return log_hours(client, **work)["month"]


def _statement_summary(client: httpx.Client, user_id: str, month: str) -> str:
    response = client.get(f"/api/v1/hours/{user_id}/{month}.csv")
    assert response.status_code == 200, response.text
    return list(csv.reader(io.StringIO(response.text)))[-1][6]


def test_an_ambassador_keeps_a_personal_limit_and_by_default_the_legal_cap(scheduler: httpx.Client) -> None:
    limited = make_user(scheduler, monthly_allowance_limit="120")
    assert _settings(limited) == (True, "120.00")
    assert _settings(scheduler.get(f"/api/v1/users/{limited['id']}").json()) == (True, "120.00")
    plain = make_user(scheduler)
    assert _settings(plain) == (True, None)
    uncapped = make_user(scheduler, allowance_capped=False)
    assert _settings(scheduler.get(f"/api/v1/users/{uncapped['id']}").json()) == (False, None)
    coordinator = make_user(scheduler, "coordinator")
    assert _settings(coordinator) == (True, None)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"role": "coordinator", "monthly_allowance_limit": "100"}, "monthly_allowance_limit is recorded for"),
        ({"role": "provider_staff", "allowance_capped": False}, "allowance_capped is recorded for ambassadors"),
        ({"allowance_capped": False, "monthly_allowance_limit": "100"}, "monthly_allowance_limit needs allowance_"),
        ({"monthly_allowance_limit": "-1"}, "greater than or equal to 0"),
        ({"monthly_allowance_limit": "12.345"}, "decimal places"),
    ],
)
def test_settings_that_do_not_fit_are_refused_naming_the_field(
    scheduler: httpx.Client, body: dict[str, Any], reason: str
) -> None:
    role = body.get("role", "ambassador")
    new = {
        "email": f"{role}-settings@example.org",
        "display_name": "Someone",
        "role": role,
        "password": "a long enough password",
        **({"languages": ["ar"]} if role == "ambassador" else {}),
        **({"provider_id": "p"} if role == "provider_staff" else {}),
        **body,
    }
    refused = scheduler.post("/api/v1/users", json=new)
    assert refused.status_code == 422, refused.text
    [error] = refused.json()["detail"]
    assert reason in error["msg"], error


def test_a_change_changes_only_the_fields_given_and_is_audited(scheduler: httpx.Client) -> None:
    ambassador = make_user(scheduler, monthly_allowance_limit="120")
    changed = _patch(scheduler, ambassador["id"], {"display_name": "Amal", "monthly_allowance_limit": "95.5"})
    assert changed.status_code == 200, changed.text
    after = changed.json()
    assert (after["display_name"], after["monthly_allowance_limit"]) == ("Amal", "95.50")
    same = ("display_name", "monthly_allowance_limit")
    assert {k: v for k, v in after.items() if k not in same} == {k: v for k, v in ambassador.items() if k not in same}
    assert scheduler.get(f"/api/v1/users/{ambassador['id']}").json() == after

    languages = _patch(scheduler, ambassador["id"], {"languages": ["ti", "nl"]}).json()
    assert (languages["languages"], languages["monthly_allowance_limit"]) == (["ti", "nl"], "95.50")
    cleared = _patch(scheduler, ambassador["id"], {"monthly_allowance_limit": None}).json()
    assert _settings(cleared) == (True, None)
    uncapped = _patch(scheduler, ambassador["id"], {"allowance_capped": False}).json()
    assert _settings(uncapped) == (False, None)

    entries = scheduler.get("/api/v1/audit", params={"action": "account.updated"}).json()["entries"]
    assert [e["targets"] for e in entries] == [{"account_id": ambassador["id"]}] * 4


@pytest.mark.parametrize(
    ("body", "where", "reason"),
    [
        ({}, ["body"], "give at least one of display_name, languages, allowance_capped, monthly_allowance_limit"),
        ({"languages": []}, ["body", "languages"], "at least 1 item"),
        ({"languages": None}, ["body", "languages"], "valid list"),
        ({"display_name": None}, ["body", "display_name"], "valid string"),
        ({"allowance_capped": None}, ["body", "allowance_capped"], "valid boolean"),
        ({"email": "new@example.org"}, ["body", "email"], "Extra inputs are not permitted"),
        ({"role": "coordinator"}, ["body", "role"], "Extra inputs are not permitted"),
        ({"monthly_allowance_limit": "-5"}, ["body", "monthly_allowance_limit"], "greater than or equal to 0"),
    ],
)
def test_a_body_that_changes_nothing_or_too_much_is_refused(
    scheduler: httpx.Client, body: dict[str, Any], where: list[str], reason: str
) -> None:
    ambassador = make_user(scheduler)
    response = _patch(scheduler, ambassador["id"], body)
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == where and reason in error["msg"], error
    assert scheduler.get(f"/api/v1/users/{ambassador['id']}").json() == ambassador


def test_a_change_that_does_not_fit_the_account_is_refused_naming_the_field(scheduler: httpx.Client) -> None:
    staff = make_user(scheduler, "provider_staff")
    for body, field in (
        ({"monthly_allowance_limit": "100"}, "monthly_allowance_limit"),
        ({"allowance_capped": False}, "allowance_capped"),
        ({"languages": ["ar"]}, "languages"),
    ):
        refused = _patch(scheduler, staff["id"], body)
        assert refused.status_code == 422 and refused.json()["error"] == "NotForThisAccount"
        assert refused.json()["detail"].startswith(f"{field} is recorded for ambassadors only"), refused.text
    assert _patch(scheduler, staff["id"], {"display_name": "Dr. Jansen"}).json()["display_name"] == "Dr. Jansen"

    limited = make_user(scheduler, monthly_allowance_limit="120")
    contradiction = _patch(scheduler, limited["id"], {"allowance_capped": False})
    assert contradiction.status_code == 422
    assert contradiction.json()["detail"].startswith("monthly_allowance_limit needs allowance_capped true")
    both = _patch(scheduler, limited["id"], {"allowance_capped": False, "monthly_allowance_limit": None})
    assert both.status_code == 200 and _settings(both.json()) == (False, None)
    again = _patch(scheduler, limited["id"], {"monthly_allowance_limit": "80"})
    assert again.status_code == 422 and again.json()["error"] == "NotForThisAccount"


def test_the_month_warns_at_the_personal_limit_below_the_legal_cap(scheduler: httpx.Client) -> None:
    venue = make_venue(scheduler)
    ambassador = make_user(scheduler, monthly_allowance_limit="120.00")
    below = _session_work(scheduler, ambassador["id"], venue, MARCH[0], "100")
    assert (below["cap"], below["cap_source"], below["remaining"], below["warning"]) == (
        "120.00",
        "personal",
        "20.00",
        None,
    )

    over = _session_work(scheduler, ambassador["id"], venue, MARCH[1], "50")  # 150: over 120, under the legal 170
    assert (over["allowance"], over["cap"], over["remaining"], over["over_cap"]) == ("150.00", "120.00", "0.00", True)
    assert over["warning"] == (
        "The allowance for 2026-03 is EUR 150.00, EUR 30.00 over the personal monthly limit of EUR 120.00; "
        "paying it can cut the ambassador's benefit. Do not pay the excess."
    )
    assert scheduler.get(f"/api/v1/hours/{ambassador['id']}/2026-03").json() == over
    assert _statement_summary(scheduler, ambassador["id"], "2026-03").startswith(
        "session 4.00 h, unpaid 0.00 h, cap 120.00 EUR (personal limit). The allowance for 2026-03 is EUR 150.00"
    )

    # a limit above the legal cap changes nothing: the lower of the two holds
    _patch(scheduler, ambassador["id"], {"monthly_allowance_limit": "500"})
    legal = scheduler.get(f"/api/v1/hours/{ambassador['id']}/2026-03").json()
    assert (legal["cap"], legal["cap_source"], legal["remaining"], legal["warning"]) == (
        "170.00",
        "legal",
        "20.00",
        None,
    )


def test_an_uncapped_ambassador_gets_no_cap_and_no_warning(scheduler: httpx.Client) -> None:
    venue = make_venue(scheduler)
    ambassador = make_user(scheduler, allowance_capped=False)
    month = _session_work(scheduler, ambassador["id"], venue, MARCH[0], "200")
    assert month["allowance"] == "200.00"
    assert (month["cap"], month["cap_source"], month["remaining"], month["over_cap"], month["warning"]) == (
        None,
        "none",
        None,
        False,
        None,
    )
    summary = _statement_summary(scheduler, ambassador["id"], "2026-03")
    assert summary == "session 2.00 h, unpaid 0.00 h, no cap (not on social assistance)"

    capped = _patch(scheduler, ambassador["id"], {"allowance_capped": True})
    assert capped.status_code == 200
    now = scheduler.get(f"/api/v1/hours/{ambassador['id']}/2026-03").json()
    assert (now["cap"], now["over_cap"]) == ("170.00", True) and "over the monthly cap" in now["warning"]


def test_only_coordinators_change_an_account(scheduler: httpx.Client, scheduler_server: ThreadedServer) -> None:
    target = make_user(scheduler)
    for role in ("ambassador", "provider_staff"):
        with scheduler_server.client() as other:
            signed_in(other, make_user(scheduler, role)["email"])
            assert _patch(other, target["id"], {"allowance_capped": False}).status_code == 403, role
    with scheduler_server.client() as self_service:
        signed_in(self_service, target["email"])
        assert _patch(self_service, target["id"], {"monthly_allowance_limit": None}).status_code == 403
    with scheduler_server.client() as anonymous:
        assert _patch(anonymous, target["id"], {"display_name": "Mine"}).status_code == 401
    assert scheduler.get(f"/api/v1/users/{target['id']}").json() == target


def test_an_unknown_account_is_not_found(scheduler: httpx.Client) -> None:
    missing = _patch(scheduler, "nope", {"display_name": "Anyone"})
    assert missing.status_code == 404 and missing.json()["error"] == "UserNotFound"
