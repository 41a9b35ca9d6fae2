"""The three services served for real, and a world of objects owned by ambassador A and provider X.

One nats-server, three apps in threads on SQLite, the scheduler's own JWKS
checking staff tokens at the notifier and the feedback service. The world:
provider X co-runs sessions with ambassador A; ambassador B and provider Y's
staff have nothing to do with them. Every caller that may change something
gets objects of its own (a session to complete, a booking to cancel, ...), so
no cell of the matrix depends on the order in which the others run.
"""

from __future__ import annotations

import asyncio
import itertools
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import nats

from feedback.app import create_app as create_feedback
from feedback.forms.mixing import mix
from feedback.forms.repository import lock_session
from feedback.sealed.envelope import seal_answers
from feedback.tokens.minting import derive_token
from notifier.app import create_app as create_notifier
from scheduler.app import create_app as create_scheduler
from shared.events import Envelope, SessionCompleted, SessionPublished, utcnow
from shared.natsserver import NatsServer
from shared.sealing import generate_keypair
from shared.unit_of_work import UnitOfWork
from tests.support.clock import set_clock
from tests.support.config import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    Keys,
    feedback_settings,
    notifier_settings,
    scheduler_settings,
)
from tests.support.factories import make_provider, make_user, make_venue, sign_in
from tests.support.servers import ThreadedServer, fully_ready, wait_until

__all__ = ["CALLERS", "SERVICES", "NO_RATE_LIMITS", "World", "running_services", "build_world"]

#: who calls: no one, the holder of a booking's secret link, two ambassadors, two providers' staff, a coordinator.
CALLERS = ("anonymous", "link", "ambassador_a", "ambassador_b", "staff_x", "staff_y", "coordinator")
SERVICES = ("scheduler", "notifier", "feedback")
#: every client here is 127.0.0.1; the limits have their own tests.
NO_RATE_LIMITS = {
    "registration": 0,
    "registration-per-session": 0,
    "sign-in": 0,
    "booking-link": 0,
    "feedback-code": 0,
}
#: Twilio's auth token at the notifier: its webhooks then check signatures (nobody here can make one).
TWILIO_TOKEN = "twilio-auth-token-the-callers-do-not-know"


@dataclass
class Services:
    servers: dict[str, ThreadedServer]
    keys: Keys
    nats_url: str

    def client(self, service: str) -> httpx.Client:
        return self.servers[service].client()


@contextmanager
def running_services(root: Path) -> Iterator[Services]:
    """nats-server and the three apps, each on its own SQLite file under ``root``, until the block ends."""
    keys = Keys()
    server = NatsServer(root / "nats", log_file=root / "nats.log").start()
    try:
        with ExitStack() as stack:
            scheduler = stack.enter_context(
                ThreadedServer(
                    create_scheduler(
                        scheduler_settings(
                            server.url,
                            f"sqlite:///{root / 'scheduler.db'}",
                            keys,
                            rate_limit_per_minute=NO_RATE_LIMITS,
                            completion_undo_minutes=24 * 60,  # the world's completions stay undoable while it runs
                        )
                    )
                )
            )
            jwks = f"{scheduler.url}/.well-known/jwks.json"
            notifier = stack.enter_context(
                ThreadedServer(
                    create_notifier(
                        notifier_settings(
                            server.url,
                            f"sqlite:///{root / 'notifier.db'}",
                            keys,
                            scheduler_jwks_url=jwks,
                            sms_file_path=root / "sms.jsonl",
                            twilio_auth_token=TWILIO_TOKEN,
                        )
                    )
                )
            )
            feedback = stack.enter_context(
                ThreadedServer(
                    create_feedback(
                        feedback_settings(
                            server.url,
                            f"sqlite:///{root / 'feedback.db'}",
                            keys,
                            scheduler_jwks_url=jwks,
                            rate_limit_per_minute=NO_RATE_LIMITS,
                        )
                    )
                )
            )
            servers = {"scheduler": scheduler, "notifier": notifier, "feedback": feedback}
            for name, running in servers.items():
                with running.client() as client:
                    wait_until(lambda c=client: fully_ready(c.get("/readyz")), timeout=30, message=f"{name} ready")
            yield Services(servers=servers, keys=keys, nats_url=server.url)
    finally:
        server.stop()


@dataclass
class World:
    """The services, a client per service, each caller's headers, and the ids the matrix fills paths with."""

    services: Services
    clients: dict[str, httpx.Client]
    headers: dict[str, dict[str, str]]
    #: ids shared by every caller: the session they read, provider X, ...
    ids: dict[str, str]
    #: per caller: objects only that caller's attempt uses (a session to complete, a booking to cancel, ...).
    own: dict[str, dict[str, str]]
    #: per booking code: its secret link's tokens ("manage" at the scheduler, "invite" at the notifier).
    tokens: dict[str, dict[str, str]]
    slots: Iterator[int] = field(default_factory=itertools.count)

    #: the sessions to be completed, in the next hours; the world's clock is then set past them
    soon: Iterator[int] = field(default_factory=itertools.count)

    def times(self, soon: bool = False) -> dict[str, str]:
        """A two-hour slot no other session in the world has (they share a room and ambassador A): a month
        ahead, or ``soon`` (within hours: a session to complete once the world's clock has passed it)."""
        hour = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
        later = timedelta(hours=1 + 3 * next(self.soon)) if soon else timedelta(days=30, hours=3 * next(self.slots))
        starts = hour + later
        return {"starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=2)).isoformat()}

    def session_body(self, **overrides: Any) -> dict[str, Any]:
        return {
            "venue_id": self.ids["venue"],
            "room_id": self.ids["room"],
            **self.times(),
            "languages": ["ar", "nl"],
            "audience": "women",
            "internal_title": "Where to find help",
            "public_title": "Thursday meeting",
            "capacity": 40,
            "provider_id": self.ids["provider_x"],
            **overrides,
        }

    def values(self, caller: str) -> dict[str, str]:
        return {**self.ids, **self.own[caller]}


def _ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, f"{response.request.method} {response.request.url}: {response.text}"
    return response.json()


def _book(scheduler: httpx.Client, session_id: str, **body: Any) -> tuple[str, dict[str, str]]:
    """A booking on ``session_id``: its code, and the tokens of its secret link."""
    made = _ok(scheduler.post(f"/api/v1/sessions/{session_id}/bookings", json={"locale": "ar", **body}), 201)
    invite = parse_qs(urlsplit(made["invite_url"]).query)["token"][0] if made.get("invite_url") else ""
    return made["code"], {"manage": made["manage_token"], "invite": invite}


async def _publish(url: str, payloads: list[Any], occurred_at: datetime) -> None:
    connection = await nats.connect(url)
    try:
        js = connection.jetstream()
        for payload in payloads:
            envelope = Envelope.wrap(payload, producer="scheduler").model_copy(update={"occurred_at": occurred_at})
            await js.publish(envelope.subject, envelope.to_json(), headers={"Nats-Msg-Id": envelope.id})
    finally:
        await connection.close()


def _released_session(services: Services, provider_id: str, ambassador_id: str) -> str:
    """A session of provider X completed 30 days ago, as the scheduler would have announced it, so its
    feedback window has closed and its report is released (nothing in the scheduler goes back in time)."""
    session_id = uuid.uuid4().hex
    start = utcnow() - timedelta(days=30)
    common = {"session_id": session_id, "provider_id": provider_id, "languages": ["ar"], "audience": "women"}
    published = SessionPublished(
        **common,
        public_title="Thursday meeting",
        venue_public_name="Keizersgracht 12",
        address="Keizersgracht 12, Amsterdam",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        timezone="Europe/Amsterdam",
        capacity=20,
        ambassador_ids=[ambassador_id],
    )
    completed = SessionCompleted(**common, attendance=6, walk_ins=6, attended_booking_codes=[])
    asyncio.run(_publish(services.nats_url, [published, completed], occurred_at=start))
    return session_id


def build_world(services: Services, stack: ExitStack) -> World:
    """Sign everyone in and make the objects the matrix acts on; ``stack`` closes the clients."""
    clients = {name: stack.enter_context(services.client(name)) for name in SERVICES}
    scheduler = clients["scheduler"]
    coordinator = {"Authorization": f"Bearer {sign_in(scheduler, ADMIN_EMAIL, ADMIN_PASSWORD)}"}
    scheduler.headers.update(coordinator)  # the set-up acts as the coordinator; requests in the matrix override it

    x, y = make_provider(scheduler, name="Provider X"), make_provider(scheduler, name="Provider Y")
    users = {
        "ambassador_a": make_user(scheduler, "ambassador"),
        "ambassador_b": make_user(scheduler, "ambassador"),
        "staff_x": make_user(scheduler, "provider_staff", provider_id=x["id"]),
        "staff_y": make_user(scheduler, "provider_staff", provider_id=y["id"]),
    }
    headers: dict[str, dict[str, str]] = {"anonymous": {"Authorization": ""}, "link": {"Authorization": ""}}
    for caller, user in users.items():
        headers[caller] = {"Authorization": f"Bearer {sign_in(scheduler, user['email'], 'a long enough password')}"}
    headers["coordinator"] = coordinator
    venue = make_venue(scheduler, rooms=[{"name": "Room 2", "capacity": 40}])
    a = users["ambassador_a"]["id"]
    world = World(
        services=services,
        clients=clients,
        headers=headers,
        ids={
            "venue": venue["id"],
            "room": venue["rooms"][0]["id"],
            "provider_x": x["id"],
            "provider_y": y["id"],
            "ambassador_a": a,
            "ambassador_b": users["ambassador_b"]["id"],
        },
        own={},
        tokens={},
    )

    def session(soon: bool = False) -> str:
        body = world.session_body(ambassador_ids=[a], **world.times(soon))
        return _ok(scheduler.post("/api/v1/sessions", json=body), 201)["id"]

    def booking(session_id: str, **body: Any) -> str:
        code, tokens = _book(scheduler, session_id, **body)
        world.tokens[code] = tokens
        return code

    def group(session_id: str) -> str:
        body = {"headcount": 2, "languages": ["ar"]}
        return _ok(scheduler.post(f"/api/v1/sessions/{session_id}/group-bookings", json=body), 201)["id"]

    # the session everyone reads, with the link holder's booking (a phone, so the notifier sends an SMS)
    s = world.ids["session"] = session()
    world.ids["code"] = booking(s, phone="06 12345678")
    world.ids["group"] = group(s)

    # a session completed now (its feedback cards can be printed) and one released 30 days ago
    finished = world.ids["finished"] = session(soon=True)
    booking(finished)
    _ok(scheduler.post(f"/api/v1/sessions/{finished}/check-ins", json={"walk_ins": 12}))
    world.ids["released"] = _released_session(services, x["id"], a)

    for caller in CALLERS:
        world.own[caller] = {
            "to_complete": session(soon=True),
            "to_reopen": session(soon=True),
            "to_move": session(),
            "to_cancel": session(),
            "own_code": booking(s),
            "erase_code": booking(s),
            "own_group": group(s),
            "throwaway": make_user(scheduler, "ambassador")["id"],
            "spare_provider": make_provider(scheduler)["id"],  # no staff, no sessions: one to deactivate
        }
    # the sessions to complete have started (tests/support/clock.py); the others are a month ahead
    set_clock(services.servers["scheduler"].app, datetime.now(UTC) + timedelta(hours=2 + 3 * next(world.soon)))
    _ok(scheduler.post(f"/api/v1/sessions/{finished}/complete"))
    for own in world.own.values():  # each caller's completion to undo
        _ok(scheduler.post(f"/api/v1/sessions/{own['to_reopen']}/complete"))
    _feedback_objects(world, x["id"])
    _notifier_objects(world)
    return world


def _feedback_objects(world: World, provider_x: str) -> None:
    """Feedback tokens of the completed session (one per caller), a comment waiting for moderation,
    and provider X's sealed questionnaire with one answer."""
    feedback, coordinator = world.clients["feedback"], world.headers["coordinator"]
    finished, secret = world.ids["finished"], world.services.keys.token_secret
    query = f"SELECT count(*) FROM feedback_token WHERE session_id = '{finished}'"
    engine = world.services.servers["feedback"].app.state.runtime.engine

    def minted() -> bool:
        with engine.connect() as connection:
            return bool(connection.exec_driver_sql(query).scalar())

    wait_until(minted, timeout=30, message="the feedback service to mint the completed session's tokens")
    wait_until(
        lambda: (
            feedback.get(f"/api/v1/reports/sessions/{world.ids['released']}", headers=coordinator).status_code == 200
        ),
        timeout=30,
        message="the released session's report",
    )
    tokens = (derive_token(secret, finished, i) for i in itertools.count())
    world.ids["form_key"] = next(tokens)
    for caller in CALLERS:
        world.own[caller]["own_form_key"] = next(tokens)
    commented = {"locale": "en", "answers": {"comment": "The room was too warm."}}
    _ok(feedback.post(f"/api/v1/forms/{next(tokens)}/responses", json=commented), 201)
    runtime = world.services.servers["feedback"].app.state.runtime
    with UnitOfWork(engine) as db:  # answers reach moderation once mixed, as at the window's close
        session = lock_session(db, finished)
        assert session is not None
        mix(db, session, runtime.settings, closing=True)
    world.ids["comment"] = _ok(feedback.get("/api/v1/comments", headers=coordinator))[0]["id"]

    public_key, _private = generate_keypair()
    questionnaire = {
        "provider_id": provider_x,
        "title": "A few more questions",
        "public_key": public_key,
        "questions": [{"id": "safe", "kind": "yes_no", "text": {"en": "Did you feel safe?"}}],
    }
    q = world.ids["questionnaire"] = _ok(
        feedback.post("/api/v1/questionnaires", json=questionnaire, headers=world.headers["staff_x"]), 201
    )["id"]
    world.ids["sealed"] = _sealed(public_key)
    envelope = {"ciphertext": world.ids["sealed"], "key": world.ids["form_key"]}
    _ok(feedback.post(f"/api/v1/questionnaires/{q}/answers", json=envelope), 201)


def _sealed(public_key: str) -> str:
    """A sealed answer as the attendee's browser makes it (padded to the fixed size)."""
    return seal_answers(public_key, {"safe": "yes"})


def _notifier_objects(world: World) -> None:
    """The link holder's calendar invite and the SMS the notifier sent for that booking."""
    notifier, code = world.clients["notifier"], world.ids["code"]
    invite = world.tokens[code]["invite"]
    assert invite, "the booking on a session with a confirmed seat should come with an invite link"
    wait_until(
        lambda: notifier.get(f"/api/v1/invites/{code}.ics", params={"token": invite}).status_code == 200,
        timeout=30,
        message="the notifier to learn of the booking",
    )

    def sent() -> list[dict[str, Any]]:
        response = notifier.get("/api/v1/deliveries", params={"status": "sent"}, headers=world.headers["coordinator"])
        return _ok(response)  # type: ignore[no-any-return]

    world.ids["delivery"] = wait_until(sent, timeout=30, message="the confirmation SMS to be sent")[0]["id"]
