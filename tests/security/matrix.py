"""THE table: who may call which endpoint of the three services, and what each caller gets.

One row per (service, method, OpenAPI path template). ``expect`` gives the
status each caller gets, in the order of ``CALLERS``:

    anonymous  link  ambassador_a  ambassador_b  staff_x  staff_y  coordinator

- ``anonymous``: no credentials at all.
- ``link``: the attendee holding a booking's secret link (no account). Where
  an endpoint takes the link's ``token`` (``link=`` below), the link holder
  sends the right one for the booking in the path; every other caller sends a
  well-formed wrong one where the token is required (a stranger who knows the
  booking code) and none where it is optional.
- ``ambassador_a`` runs the sessions in the paths; ``ambassador_b`` does not.
- ``staff_x`` works for provider X, which co-runs the sessions in the paths
  and owns the questionnaire; ``staff_y`` for another provider.

Statuses: 2xx allowed; 401 not signed in; 403 signed in but not allowed (a
role, or not your session/provider); 404 "not yours" where a wrong secret
must look exactly like an unknown object; 409 allowed, but the object's state
forbids the action (the retry of an SMS that was sent).

Path parameters name ids of the world (tests/security/world.py): shared ones
(``session``, ``provider_x``, ...) or the caller's own (``to_complete``,
``own_code``, ...) where success changes the object.

Not in OpenAPI, so not in this table (tests elsewhere cover them): on every
service ``/openapi.json``, ``/docs``, ``/docs/oauth2-redirect``, ``/redoc``;
the scheduler's attendee pages ``GET/POST /s/{session_id}``, ``GET /b/{code}``,
``GET/POST /b/{code}/cancel`` and ``/static``; the feedback service's
``GET /f``, ``GET/POST /f/{key}`` and ``/static``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from shared.sealing import generate_keypair
from tests.security.world import CALLERS, World
from tests.support.config import ADMIN_PASSWORD
from tests.support.factories import PASSWORD

__all__ = ["Row", "TABLE", "expected"]

Body = dict[str, Any] | Callable[[World, str], Any] | None


@dataclass(frozen=True)
class Row:
    #: seven statuses, one per caller in CALLERS order.
    expect: str
    #: path parameter → its value, formatted with World.values(caller) (e.g. "{session}").
    params: dict[str, str] = field(default_factory=dict)
    #: query parameters; values are formatted with World.values(caller).
    query: dict[str, str] = field(default_factory=dict)
    body: Body = None
    #: a form body (application/x-www-form-urlencoded) instead of JSON.
    form: dict[str, str] | None = None
    #: which token of the booking in the path's code the link holder sends: "manage" or "invite".
    link: str | None = None


def expected(row: Row) -> dict[str, int]:
    statuses = [int(s) for s in row.expect.split()]
    assert len(statuses) == len(CALLERS), f"{row.expect!r} needs one status per caller: {CALLERS}"
    return dict(zip(CALLERS, statuses, strict=True))


#               anon link A   B   X   Y   coord
EVERYONE = Row("200 200 200 200 200 200 200")
SIGNED_IN = Row("401 401 200 200 200 200 200")
COORDINATOR = Row("401 401 403 403 403 403 200")

#: ambassador A runs the session; coordinators run every session; the rest may not.
RUNS_IT = "401 401 200 403 403 403 200"
#: who may read a session: its ambassadors, its provider's staff, coordinators.
READS_IT = "401 401 200 403 200 403 200"
#: provider X's reports: its staff and coordinators (ambassadors see no reports).
X_REPORTS = "401 401 403 403 200 403 200"


def _new_user(world: World, caller: str) -> dict[str, Any]:
    return {
        "email": f"new-{uuid.uuid4().hex[:8]}@example.org",
        "display_name": "New",
        "role": "ambassador",
        "password": "x" * 12,
        "languages": ["ar"],
    }


def _same_password(world: World, caller: str) -> dict[str, str]:
    """Each caller's own password, changed to itself: allowed, and every later sign-in still works."""
    password = ADMIN_PASSWORD if caller == "coordinator" else PASSWORD
    return {"current_password": password, "new_password": password}


def _session(world: World, caller: str) -> dict[str, Any]:
    return world.session_body()


def _series(world: World, caller: str) -> dict[str, Any]:
    return world.session_body(rrule="FREQ=WEEKLY;COUNT=2")


def _times(world: World, caller: str) -> dict[str, str]:
    return world.times()


def _hours(world: World, caller: str) -> dict[str, Any]:
    return {"kind": "meeting", "date": "2026-05-04", "hours": 1, "user_id": world.ids["ambassador_a"]}


def _questionnaire(world: World, caller: str) -> dict[str, Any]:
    return {
        "provider_id": world.ids["provider_x"],
        "title": "More questions",
        "public_key": generate_keypair()[1],
        "questions": [{"id": "safe", "kind": "yes_no", "text": {"en": "Did you feel safe?"}}],
    }


def _sealed(world: World, caller: str) -> dict[str, str]:
    """An envelope spending the caller's own card of the finished session (anyone holding one may answer)."""
    return {"ciphertext": world.ids["sealed"], "key": world.own[caller]["own_form_key"]}


def _row(base: Row, **changes: Any) -> Row:
    return Row(**{**base.__dict__, **changes})


HOURS_OF_A = {"user_id": "{ambassador_a}", "month": "2026-05"}
SESSION = {"session_id": "{session}"}

TABLE: dict[tuple[str, str, str], Row] = {
    # ---------------------------------------------------------------- scheduler
    ("scheduler", "GET", "/healthz"): EVERYONE,
    ("scheduler", "GET", "/readyz"): EVERYONE,
    ("scheduler", "GET", "/metrics"): EVERYONE,
    ("scheduler", "GET", "/.well-known/jwks.json"): EVERYONE,
    ("scheduler", "GET", "/api/v1/public/sessions"): EVERYONE,
    ("scheduler", "POST", "/api/v1/auth/token"): _row(
        EVERYONE, form={"username": "coordinator@example.org", "password": "bridge-test-coordinator-42"}
    ),
    ("scheduler", "GET", "/api/v1/auth/me"): SIGNED_IN,
    ("scheduler", "POST", "/api/v1/auth/password"): Row("401 401 204 204 204 204 204", body=_same_password),
    ("scheduler", "GET", "/api/v1/users"): COORDINATOR,
    ("scheduler", "POST", "/api/v1/users"): Row("401 401 403 403 403 403 201", body=_new_user),
    ("scheduler", "GET", "/api/v1/users/{user_id}"): _row(COORDINATOR, params={"user_id": "{ambassador_a}"}),
    ("scheduler", "PATCH", "/api/v1/users/{user_id}"): _row(
        COORDINATOR, params={"user_id": "{throwaway}"}, body={"display_name": "Renamed"}
    ),
    ("scheduler", "POST", "/api/v1/users/{user_id}/deactivate"): _row(COORDINATOR, params={"user_id": "{throwaway}"}),
    ("scheduler", "GET", "/api/v1/providers"): SIGNED_IN,
    ("scheduler", "POST", "/api/v1/providers"): Row(
        "401 401 403 403 403 403 201", body=lambda w, c: {"name": f"Provider {uuid.uuid4().hex[:6]}"}
    ),
    ("scheduler", "GET", "/api/v1/providers/{provider_id}"): _row(SIGNED_IN, params={"provider_id": "{provider_y}"}),
    ("scheduler", "PATCH", "/api/v1/providers/{provider_id}"): _row(
        COORDINATOR, params={"provider_id": "{provider_y}"}, body={"contact": "info@provider-y.example.org"}
    ),
    ("scheduler", "POST", "/api/v1/providers/{provider_id}/deactivate"): _row(
        COORDINATOR, params={"provider_id": "{spare_provider}"}
    ),
    ("scheduler", "GET", "/api/v1/venues"): SIGNED_IN,
    ("scheduler", "POST", "/api/v1/venues"): Row(
        "401 401 201 201 403 403 201",
        body={
            "name": "Bibliotheek Oost",
            "public_name": "Linnaeusstraat 44",
            "kind": "library",
            "address": "Linnaeusstraat 44, Amsterdam",
            "city": "Amsterdam",
            "rooms": [{"name": "Zaal 1", "capacity": 10}],
        },
    ),
    ("scheduler", "GET", "/api/v1/venues/{venue_id}"): _row(SIGNED_IN, params={"venue_id": "{venue}"}),
    ("scheduler", "PATCH", "/api/v1/venues/{venue_id}"): _row(
        COORDINATOR, params={"venue_id": "{venue}"}, body={"accessibility_notes": "Lift to floor 2."}
    ),
    ("scheduler", "PUT", "/api/v1/venues/{venue_id}/hours"): _row(
        COORDINATOR, params={"venue_id": "{venue}"}, body={"opening_hours": []}
    ),
    ("scheduler", "POST", "/api/v1/sessions"): Row("401 401 201 201 403 403 201", body=_session),
    ("scheduler", "GET", "/api/v1/sessions"): SIGNED_IN,
    ("scheduler", "POST", "/api/v1/sessions/series"): Row("401 401 201 201 403 403 201", body=_series),
    ("scheduler", "GET", "/api/v1/sessions/{session_id}"): Row(READS_IT, params=SESSION),
    ("scheduler", "GET", "/api/v1/sessions/{session_id}/feedback"): Row(READS_IT, params=SESSION),
    ("scheduler", "GET", "/api/v1/feedback/mine"): SIGNED_IN,
    ("scheduler", "PATCH", "/api/v1/sessions/{session_id}"): Row(
        RUNS_IT, params={"session_id": "{to_move}"}, body=_times
    ),
    ("scheduler", "POST", "/api/v1/sessions/{session_id}/cancel"): Row(
        RUNS_IT, params={"session_id": "{to_cancel}"}, body={"reason_code": "illness"}
    ),
    ("scheduler", "POST", "/api/v1/sessions/{session_id}/check-ins"): Row(
        RUNS_IT, params=SESSION, body={"walk_ins": 1}
    ),
    ("scheduler", "POST", "/api/v1/sessions/{session_id}/complete"): Row(
        RUNS_IT, params={"session_id": "{to_complete}"}
    ),
    ("scheduler", "POST", "/api/v1/sessions/{session_id}/reopen"): Row(RUNS_IT, params={"session_id": "{to_reopen}"}),
    ("scheduler", "POST", "/api/v1/sessions/{session_id}/bookings"): Row(
        "201 201 201 201 201 201 201", params=SESSION, body={"locale": "nl"}
    ),
    # anyone may ask for a registration challenge (needed only while the session is flooded)
    ("scheduler", "GET", "/api/v1/sessions/{session_id}/challenge"): Row(EVERYONE.expect, params=SESSION),
    ("scheduler", "GET", "/api/v1/bookings/{code}"): Row(
        "404 200 404 404 404 404 404", params={"code": "{code}"}, link="manage"
    ),
    ("scheduler", "POST", "/api/v1/bookings/{code}/cancel"): Row(
        "401 200 403 403 403 403 200", params={"code": "{own_code}"}, link="manage"
    ),
    # the right to erasure: a coordinator, by the code the attendee reads out; never the link itself
    ("scheduler", "POST", "/api/v1/bookings/{code}/erasure"): _row(COORDINATOR, params={"code": "{erase_code}"}),
    ("scheduler", "GET", "/api/v1/audit"): COORDINATOR,
    ("scheduler", "POST", "/api/v1/hours"): Row("401 401 201 403 403 403 201", body=_hours),
    ("scheduler", "GET", "/api/v1/hours"): Row(RUNS_IT, query=HOURS_OF_A),
    ("scheduler", "GET", "/api/v1/hours/{user_id}/{month}"): Row(RUNS_IT, params=HOURS_OF_A),
    ("scheduler", "GET", "/api/v1/hours/{user_id}/{month}.csv"): Row(RUNS_IT, params=HOURS_OF_A),
    ("scheduler", "POST", "/api/v1/sessions/{session_id}/group-bookings"): Row(
        "401 401 201 403 403 403 201", params=SESSION, body={"headcount": 1, "languages": ["ar"]}
    ),
    ("scheduler", "GET", "/api/v1/sessions/{session_id}/group-bookings"): Row(READS_IT, params=SESSION),
    ("scheduler", "POST", "/api/v1/sessions/{session_id}/group-bookings/{group_id}/cancel"): Row(
        RUNS_IT, params={**SESSION, "group_id": "{own_group}"}
    ),
    ("scheduler", "POST", "/api/v1/sessions/{session_id}/group-bookings/{group_id}/check-in"): Row(
        RUNS_IT, params={**SESSION, "group_id": "{group}"}, body={}
    ),
    # ---------------------------------------------------------------- notifier
    ("notifier", "GET", "/healthz"): EVERYONE,
    ("notifier", "GET", "/readyz"): EVERYONE,
    ("notifier", "GET", "/metrics"): EVERYONE,
    # only Twilio, signing with the auth token none of the callers has, may call its webhooks
    ("notifier", "POST", "/api/v1/sms/status/twilio"): Row(
        "403 403 403 403 403 403 403", form={"MessageSid": "SM" + "0" * 32, "MessageStatus": "delivered"}
    ),
    ("notifier", "POST", "/api/v1/sms/inbound/twilio"): Row(
        "403 403 403 403 403 403 403", form={"From": "+31612345678", "Body": "STOP"}
    ),
    # likewise Vonage (its `sig` under BRUG_VONAGE_SIGNATURE_SECRET) and the webhook gateway's receiver
    ("notifier", "GET", "/api/v1/sms/inbound/vonage"): Row(
        "403 403 403 403 403 403 403", query={"msisdn": "31612345678", "text": "STOP", "sig": "0" * 64}
    ),
    ("notifier", "POST", "/api/v1/sms/inbound/vonage"): Row(
        "403 403 403 403 403 403 403", form={"msisdn": "31612345678", "text": "STOP", "sig": "0" * 64}
    ),
    ("notifier", "POST", "/api/v1/sms/inbound/webhook"): Row(
        "403 403 403 403 403 403 403", body={"from": "+31612345678", "body": "STOP"}
    ),
    ("notifier", "GET", "/api/v1/deliveries"): COORDINATOR,
    ("notifier", "GET", "/api/v1/deliveries/summary"): COORDINATOR,
    # the delivery was sent: a coordinator passes the gate and is told it may not be repeated
    ("notifier", "POST", "/api/v1/deliveries/{delivery_id}/retry"): Row(
        "401 401 403 403 403 403 409", params={"delivery_id": "{delivery}"}
    ),
    ("notifier", "GET", "/api/v1/invites/{booking_code}.ics"): Row(
        "404 200 404 404 404 404 404", params={"booking_code": "{code}"}, link="invite"
    ),
    # ---------------------------------------------------------------- feedback
    ("feedback", "GET", "/healthz"): EVERYONE,
    ("feedback", "GET", "/readyz"): EVERYONE,
    ("feedback", "GET", "/metrics"): EVERYONE,
    # a card's code is the capability: whoever holds it may answer, once
    ("feedback", "GET", "/api/v1/forms/{key}"): _row(EVERYONE, params={"key": "{form_key}"}),
    ("feedback", "POST", "/api/v1/forms/{key}/responses"): Row(
        "201 201 201 201 201 201 201", params={"key": "{own_form_key}"}, body={"answers": {"felt_safe": True}}
    ),
    ("feedback", "GET", "/api/v1/reports/sessions/{session_id}"): Row(X_REPORTS, params={"session_id": "{released}"}),
    ("feedback", "GET", "/api/v1/reports/sessions/{session_id}.csv"): Row(
        X_REPORTS, params={"session_id": "{released}"}
    ),
    ("feedback", "GET", "/api/v1/reports/providers/{provider_id}"): Row(
        X_REPORTS, params={"provider_id": "{provider_x}"}
    ),
    ("feedback", "GET", "/api/v1/reports/providers/{provider_id}.csv"): Row(
        X_REPORTS, params={"provider_id": "{provider_x}"}
    ),
    ("feedback", "GET", "/api/v1/audit"): COORDINATOR,
    ("feedback", "GET", "/api/v1/comments"): COORDINATOR,
    ("feedback", "POST", "/api/v1/comments/{comment_id}"): _row(
        COORDINATOR, params={"comment_id": "{comment}"}, body={"action": "approve"}
    ),
    # the key answers are sealed to: provider X's own staff only, not even a coordinator (who could then read them)
    ("feedback", "POST", "/api/v1/questionnaires"): Row("401 401 403 403 201 403 403", body=_questionnaire),
    ("feedback", "GET", "/api/v1/questionnaires/{questionnaire_id}"): _row(
        EVERYONE, params={"questionnaire_id": "{questionnaire}"}
    ),
    ("feedback", "POST", "/api/v1/questionnaires/{questionnaire_id}/answers"): Row(
        "201 201 201 201 201 201 201", params={"questionnaire_id": "{questionnaire}"}, body=_sealed
    ),
    # sealed answers go to provider X's own staff only: not even a coordinator may export them
    ("feedback", "GET", "/api/v1/questionnaires/{questionnaire_id}/answers"): Row(
        "401 401 403 403 200 403 403", params={"questionnaire_id": "{questionnaire}"}
    ),
    # cards: the session's ambassadors and coordinators (provider staff see only aggregates)
    ("feedback", "GET", "/api/v1/sessions/{session_id}/cards.pdf"): Row(RUNS_IT, params={"session_id": "{finished}"}),
    ("feedback", "POST", "/api/v1/sessions/{session_id}/cards/extra"): Row(
        RUNS_IT, params={"session_id": "{finished}"}, body={"count": 1}
    ),
}
