"""Who may call what: every route for every role, ambassador A against B, provider X against Y.

The world: provider X runs session S with ambassador A; ambassador B and
provider Y's staff have nothing to do with S.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.support.clock import set_clock, until_started
from tests.support.factories import book, make_provider, make_session, make_user, make_venue, signed_in
from tests.support.servers import ThreadedServer, wait_until

ACTORS = ("anonymous", "coordinator", "ambassador_a", "ambassador_b", "staff_x", "staff_y")


@dataclass
class World:
    clients: dict[str, httpx.Client]
    ids: dict[str, str]
    #: per actor: its own open session (ambassador A, provider X) to complete, another to cancel, one
    #: not yet started to book group seats in, and its own bookings to cancel, so each actor's attempt
    #: meets a fresh one.
    own: dict[str, dict[str, str]]
    slots: Iterator[int] = field(default_factory=itertools.count)
    #: the scheduler's app, whose clock a test may move
    app: Any = None

    def times(self) -> dict[str, str]:
        """A time no other session in the world has (the room and ambassador A are shared)."""
        month = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=30)
        starts = month + timedelta(hours=3 * next(self.slots))
        return {"starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=2)).isoformat()}

    def hours_body(self) -> dict[str, Any]:
        """Unpaid work for ambassador A: A and coordinators may log it, no one else."""
        return {"kind": "meeting", "date": "2026-05-04", "hours": 1, "user_id": self.ids["ambassador_a"]}

    def session_body(self, **overrides: Any) -> dict[str, Any]:
        return {
            "venue_id": self.ids["venue"],
            "room_id": self.ids["room"],
            **self.times(),
            "languages": ["ar"],
            "internal_title": "Where to find help",
            "public_title": "Thursday meeting",
            "capacity": 5,
            "provider_id": self.ids["provider_x"],
            **overrides,
        }


#: each actor's own sessions (to complete) start within this many hours, one after another, three hours
#: apart (three per actor, six actors); then the world's clock is set past them, so they have started
#: and the shared one (three days ahead) has not.
_OWN_WITHIN = timedelta(hours=56)
#: ... and its own session that has not started then (group seats are booked before the start), well
#: after every other session the tests plan (the factory's come three days ahead onward, times() a month)
_LATER = timedelta(days=200)


def _own(
    scheduler: httpx.Client, venue: dict[str, Any], provider: str, ambassador: str, session: str, slots: Iterator[int]
) -> dict[str, str]:
    def run(after: timedelta = timedelta(0)) -> str:
        hour = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
        starts = hour + after + timedelta(hours=1 + 3 * next(slots))
        at = {"starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=2)).isoformat()}
        return make_session(scheduler, venue, provider_id=provider, ambassador_ids=[ambassador], **at)["id"]

    mine, for_staff = book(scheduler, session), book(scheduler, session)
    return {
        "own": run(),
        "spare": run(),
        "later": run(after=_LATER),
        "own_code": mine["code"],
        "own_token": mine["manage_token"],
        "staff_code": for_staff["code"],
    }


@pytest.fixture
def world(scheduler: httpx.Client, scheduler_server: ThreadedServer) -> Iterator[World]:
    x, y = make_provider(scheduler, name="Provider X"), make_provider(scheduler, name="Provider Y")
    users = {
        "ambassador_a": make_user(scheduler, "ambassador"),
        "ambassador_b": make_user(scheduler, "ambassador"),
        "staff_x": make_user(scheduler, "provider_staff", provider_id=x["id"]),
        "staff_y": make_user(scheduler, "provider_staff", provider_id=y["id"]),
    }
    venue = make_venue(scheduler)
    a = users["ambassador_a"]["id"]
    session = make_session(scheduler, venue, provider_id=x["id"], ambassador_ids=[a])
    booking = book(scheduler, session["id"])
    slots = itertools.count()
    own = {actor: _own(scheduler, venue, x["id"], a, session["id"], slots) for actor in ACTORS}
    set_clock(scheduler_server.app, datetime.now(UTC) + _OWN_WITHIN)  # their own sessions have started
    ids = {
        "venue": venue["id"],
        "room": venue["rooms"][0]["id"],
        "session": session["id"],
        "provider_x": x["id"],
        "provider_y": y["id"],
        "ambassador_a": a,
        "ambassador_b": users["ambassador_b"]["id"],
        "throwaway": make_user(scheduler, "ambassador")["id"],
        "code": booking["code"],
        "token": booking["manage_token"],
    }
    with ExitStack() as stack:
        clients = {"coordinator": scheduler, "anonymous": stack.enter_context(scheduler_server.client())}
        for actor, user in users.items():
            clients[actor] = signed_in(stack.enter_context(scheduler_server.client()), user["email"])
        wait_until(lambda: scheduler.get("/readyz").status_code == 200, message="ready")
        yield World(clients=clients, ids=ids, own=own, app=scheduler_server.app)


OK, MADE, NO, FORBIDDEN = 200, 201, 401, 403
EVERYONE = (OK,) * 6
STAFF = (NO, OK, OK, OK, OK, OK)
COORDINATOR_ONLY = (NO, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN)
#: ambassador A's own hours: A and coordinators.
A_AND_COORDINATOR = (NO, OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN)
VENUE = {
    "name": "Bibliotheek Oost",
    "public_name": "Linnaeusstraat 44",
    "kind": "library",
    "address": "Linnaeusstraat 44, Amsterdam",
    "city": "Amsterdam",
    "rooms": [{"name": "Zaal 1", "capacity": 10}],
}

#: (method, path, body, expected status for anonymous, coordinator, ambassador A, ambassador B, staff X, staff Y)
TABLE: list[tuple[str, str, Any, tuple[int, ...]]] = [
    ("GET", "/healthz", None, EVERYONE),
    ("GET", "/readyz", None, EVERYONE),
    ("GET", "/metrics", None, EVERYONE),
    ("GET", "/openapi.json", None, EVERYONE),
    ("GET", "/.well-known/jwks.json", None, EVERYONE),
    ("GET", "/api/v1/auth/me", None, STAFF),
    # a new password too short: every signed-in account may try (422: its body), nobody else
    ("POST", "/api/v1/auth/password", {"current_password": "x", "new_password": "short"}, (NO,) + (422,) * 5),
    (
        "POST",
        "/api/v1/users",
        {"email": "new@example.org", "display_name": "N", "role": "coordinator", "password": "x" * 12},
        (NO, MADE, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    ),
    ("GET", "/api/v1/users", None, COORDINATOR_ONLY),
    ("GET", "/api/v1/users/{ambassador_a}", None, COORDINATOR_ONLY),
    ("POST", "/api/v1/users/{throwaway}/deactivate", None, COORDINATOR_ONLY),
    ("POST", "/api/v1/providers", {"name": "Provider Z"}, (NO, MADE, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN)),
    ("GET", "/api/v1/providers", None, STAFF),
    ("GET", "/api/v1/providers/{provider_y}", None, STAFF),
    ("POST", "/api/v1/venues", VENUE, (NO, MADE, MADE, MADE, FORBIDDEN, FORBIDDEN)),
    ("GET", "/api/v1/venues", None, STAFF),
    ("GET", "/api/v1/venues/{venue}", None, STAFF),
    ("POST", "/api/v1/sessions", "session", (NO, MADE, MADE, MADE, FORBIDDEN, FORBIDDEN)),
    ("GET", "/api/v1/sessions", None, STAFF),
    ("GET", "/api/v1/sessions/{session}", None, (NO, OK, OK, FORBIDDEN, OK, FORBIDDEN)),
    ("POST", "/api/v1/sessions/series", "series", (NO, MADE, MADE, MADE, FORBIDDEN, FORBIDDEN)),
    ("GET", "/api/v1/public/sessions", None, EVERYONE),
    ("POST", "/api/v1/sessions/{session}/check-ins", {"walk_ins": 1}, (NO, OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN)),
    (
        "POST",
        "/api/v1/sessions/{later}/group-bookings",
        {"headcount": 2, "languages": ["ar"]},
        (NO, MADE, MADE, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    ),
    ("GET", "/api/v1/sessions/{session}/group-bookings", None, (NO, OK, OK, FORBIDDEN, OK, FORBIDDEN)),
    ("POST", "/api/v1/sessions/{own}/complete", None, (NO, OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN)),
    ("PATCH", "/api/v1/sessions/{spare}", "times", (NO, OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN)),
    (
        "POST",
        "/api/v1/sessions/{spare}/cancel",
        {"reason_code": "illness"},
        (NO, OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    ),
    ("POST", "/api/v1/sessions/{session}/bookings", {"locale": "nl"}, (MADE,) * 6),
    ("GET", "/api/v1/bookings/{code}?token={token}", None, EVERYONE),
    ("POST", "/api/v1/bookings/{own_code}/cancel?token={own_token}", None, EVERYONE),
    ("POST", "/api/v1/bookings/{staff_code}/cancel", None, COORDINATOR_ONLY),
    ("PUT", "/api/v1/venues/{venue}/hours", {"opening_hours": []}, COORDINATOR_ONLY),
    ("POST", "/api/v1/hours", "hours", (NO, MADE, MADE, FORBIDDEN, FORBIDDEN, FORBIDDEN)),
    ("GET", "/api/v1/hours", None, (NO, OK, OK, OK, FORBIDDEN, FORBIDDEN)),
    ("GET", "/api/v1/hours?user_id={ambassador_a}&month=2026-05", None, A_AND_COORDINATOR),
    ("GET", "/api/v1/hours/{ambassador_a}/2026-05", None, A_AND_COORDINATOR),
    ("GET", "/api/v1/hours/{ambassador_a}/2026-05.csv", None, A_AND_COORDINATOR),
]


def test_every_route_answers_each_role_as_the_table_says(world: World) -> None:
    wrong: list[str] = []
    for method, template, body, expected in TABLE:
        for actor, status in zip(ACTORS, expected, strict=True):
            path = template.format(**world.ids, **world.own[actor])
            special = {
                "session": world.session_body,
                "times": world.times,
                "hours": world.hours_body,
                "series": lambda: world.session_body(rrule="FREQ=WEEKLY;COUNT=2"),
            }
            payload = special[body]() if isinstance(body, str) else body
            response = world.clients[actor].request(method, path, json=payload)
            if response.status_code != status:
                wrong.append(f"{method} {template} as {actor}: {response.status_code}, expected {status}")
            elif status == NO and response.headers.get("www-authenticate") != "Bearer":
                wrong.append(f"{method} {template} as {actor}: 401 without WWW-Authenticate: Bearer")
    assert not wrong, "\n".join(wrong)


def test_an_ambassador_cannot_act_on_another_ambassadors_session(world: World) -> None:
    b = world.clients["ambassador_b"]
    session = world.ids["session"]
    for response in (
        b.get(f"/api/v1/sessions/{session}"),
        b.post(f"/api/v1/sessions/{session}/check-ins", json={"booking_code": world.ids["code"]}),
        b.post(f"/api/v1/sessions/{session}/complete"),
    ):
        assert response.status_code == 403
        assert response.json() == {
            "error": "NotYourSession",
            "detail": "You are not one of this session's ambassadors; a coordinator can add you, or act on it for you.",
        }
    a = world.clients["ambassador_a"]
    assert a.post(f"/api/v1/sessions/{session}/check-ins", json={"booking_code": world.ids["code"]}).json() == {
        "checked_in": 1,
        "walk_ins": 0,
    }


def test_provider_staff_read_only_their_own_providers_sessions(world: World) -> None:
    session = world.ids["session"]
    x, y = world.clients["staff_x"], world.clients["staff_y"]
    assert x.get(f"/api/v1/sessions/{session}").json()["provider_id"] == world.ids["provider_x"]
    other = y.get(f"/api/v1/sessions/{session}")
    assert other.status_code == 403
    assert other.json() == {
        "error": "NotYourSession",
        "detail": "Your organisation does not co-run this session; you can see only its sessions.",
    }
    checking_in = x.post(f"/api/v1/sessions/{session}/check-ins", json={"walk_ins": 1})
    assert checking_in.json() == {
        "error": "Forbidden",
        "detail": "Only a coordinator or ambassador may do this; you are signed in as provider_staff.",
    }


def test_the_session_list_shows_each_role_only_what_it_may_see(world: World) -> None:
    def listed(actor: str) -> set[str]:
        return {s["id"] for s in world.clients[actor].get("/api/v1/sessions").json()}

    mine = world.clients["ambassador_b"].post("/api/v1/sessions", json=world.session_body(provider_id=None)).json()
    of_x = {world.ids["session"], *(own[s] for own in world.own.values() for s in ("own", "spare", "later"))}
    assert listed("coordinator") == of_x | {mine["id"]}
    assert listed("ambassador_a") == of_x
    assert listed("ambassador_b") == {mine["id"]}
    assert listed("staff_x") == of_x
    assert listed("staff_y") == set()


def test_the_ambassador_who_creates_a_session_runs_it_and_may_name_no_one_else(world: World) -> None:
    a, b = world.clients["ambassador_a"], world.clients["ambassador_b"]
    created = a.post("/api/v1/sessions", json=world.session_body(ambassador_ids=[world.ids["ambassador_a"]]))
    assert created.status_code == 201
    assert created.json()["ambassador_ids"] == [world.ids["ambassador_a"]]
    until_started(world.app, created.json())
    assert a.post(f"/api/v1/sessions/{created.json()['id']}/complete").status_code == 200
    assert b.get(f"/api/v1/sessions/{created.json()['id']}").status_code == 403

    naming_b = a.post("/api/v1/sessions", json=world.session_body(ambassador_ids=[world.ids["ambassador_b"]]))
    assert naming_b.status_code == 403
    assert naming_b.json() == {
        "error": "Forbidden",
        "detail": "Only a coordinator may name other ambassadors for a session; leave ambassador_ids out, "
        "or ask a coordinator to add them.",
    }


def test_a_coordinator_names_the_ambassadors_and_only_active_ambassadors_can_be_named(world: World) -> None:
    coordinator = world.clients["coordinator"]
    both = sorted([world.ids["ambassador_a"], world.ids["ambassador_b"]])
    created = coordinator.post("/api/v1/sessions", json=world.session_body(ambassador_ids=both)).json()
    assert created["ambassador_ids"] == both
    assert world.clients["ambassador_b"].get(f"/api/v1/sessions/{created['id']}").status_code == 200

    staff = next(u["id"] for u in coordinator.get("/api/v1/users").json() if u["role"] == "provider_staff")
    deactivated = coordinator.post(f"/api/v1/users/{world.ids['throwaway']}/deactivate").json()["id"]
    for named in (staff, deactivated, "nobody"):
        refused = coordinator.post("/api/v1/sessions", json=world.session_body(ambassador_ids=[named]))
        assert refused.status_code == 422
        assert refused.json() == {
            "error": "NotAnAmbassador",
            "detail": f"{named} is not an active ambassador; see GET /api/v1/users for their ids.",
        }
    unknown = coordinator.post("/api/v1/sessions", json=world.session_body(provider_id="nope"))
    assert unknown.status_code == 404
    assert unknown.json()["error"] == "ProviderNotFound"


def test_a_garbage_token_is_401_even_on_a_route_anyone_may_read_when_signed_in(world: World) -> None:
    response = world.clients["anonymous"].get("/api/v1/venues", headers={"Authorization": "Bearer nonsense"})
    assert response.status_code == 401
    assert response.json() == {
        "error": "Unauthenticated",
        "detail": "The access token is not a valid token; sign in again.",
    }
    basic = world.clients["anonymous"].get("/api/v1/venues", headers={"Authorization": "Basic YTpi"})
    assert basic.status_code == 401
