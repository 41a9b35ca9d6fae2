"""Issue 16, item 2c: a proof-of-work challenge when a session is being flooded.

The attack: a script registers for one session from many addresses (each stays under the
per-client limit of 5 an hour), taking every seat and the waiting list. Before: all 60 got a place.
Now, once a session has had ``BRUG_ALTCHA_FLOOD_PER_HOUR`` registrations in the last hour (counted
across all clients, in the database), every further one must carry a solved ALTCHA challenge for that
session (``GET /api/v1/sessions/{id}/challenge``): without one, or with one that is expired, spent
or for another session, ``428 ChallengeRequired``. The solutions here are found with the ``altcha``
library's own solver, as any API client would.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Iterator
from typing import Any

import altcha
import httpx
import pytest

from scheduler.app import create_app
from scheduler.settings import SchedulerSettings
from shared.i18n import SUPPORTED
from shared.natsserver import NatsServer
from shared.pages.kit import STATIC_DIR
from tests.support.config import ADMIN_EMAIL, ADMIN_PASSWORD, Keys, scheduler_settings
from tests.support.factories import make_session, signed_in
from tests.support.page_source import indiscretions
from tests.support.servers import ThreadedServer

#: registrations for one session in an hour before a challenge is asked (small, so the test is quick).
FLOOD = 20
#: cheap work per try, so the test solves in milliseconds (the default is for phones against scripts).
COST = 50
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@pytest.fixture
def settings(nats: NatsServer, database_url: str, keys: Keys) -> SchedulerSettings:
    """The challenge on; the per-client limits at their defaults except the per-minute one, which an
    attacker paces under; behind a trusted proxy (127.0.0.1) X-Forwarded-For names each client."""
    return scheduler_settings(
        nats.url,
        database_url,
        keys,
        rate_limit_per_minute={"registration": 0},
        rate_limit_trusted_proxies=["127.0.0.1"],
        altcha_flood_per_hour=FLOOD,
        altcha_cost=COST,
    )


@pytest.fixture
def served(settings: SchedulerSettings) -> Iterator[ThreadedServer]:
    with ThreadedServer(create_app(settings)) as server:
        yield server


@pytest.fixture
def session_id(served: ThreadedServer) -> str:
    with served.client() as client:
        return str(make_session(signed_in(client, ADMIN_EMAIL, ADMIN_PASSWORD), capacity=10)["id"])


def register(client: httpx.Client, session_id: str, number: int, **body: Any) -> httpx.Response:
    """A registration from its own address (203.0.113.0/24 and beyond: one per registration)."""
    address = f"203.0.{113 + number // 250}.{number % 250 + 1}"
    return client.post(
        f"/api/v1/sessions/{session_id}/bookings",
        json={"locale": "nl", **body},
        headers={"X-Forwarded-For": address},
    )


def solved(challenge: dict[str, Any]) -> str:
    """The widget's payload (base64 JSON of the challenge and its solution), found by altcha's solver."""
    parsed = altcha.Challenge.from_dict(challenge)
    solution = altcha.solve_challenge(parsed, timeout=60)
    assert solution is not None
    return altcha.Payload(parsed, solution).to_base64()


def challenge_for(client: httpx.Client, session_id: str) -> dict[str, Any]:
    answer = client.get(f"/api/v1/sessions/{session_id}/challenge")
    assert answer.status_code == 200, answer.text
    return answer.json()  # type: ignore[no-any-return]


def flood(client: httpx.Client, session_id: str) -> None:
    assert [register(client, session_id, n).status_code for n in range(FLOOD)] == [201] * FLOOD


def test_a_flood_from_many_addresses_is_refused_past_the_threshold(served: ThreadedServer, session_id: str) -> None:
    """Before: 60 of 60 registrations from 60 addresses took a place (10 seats, 50 waiting).
    Now: the first 20 (the threshold) are taken without a challenge; the other 40 get 428."""
    with served.client() as attacker:
        answers = [register(attacker, session_id, n) for n in range(60)]
    assert [a.status_code for a in answers] == [201] * FLOOD + [428] * 40
    refused = answers[FLOOD].json()
    assert refused["error"] == "ChallengeRequired"
    assert f"/api/v1/sessions/{session_id}/challenge" in refused["detail"]
    assert "altcha" in refused["detail"]
    with served.client() as client:
        listed = signed_in(client, ADMIN_EMAIL, ADMIN_PASSWORD).get(f"/api/v1/sessions/{session_id}").json()
    assert (listed["confirmed"], listed["waitlisted"]) == (10, 10)


def test_a_solved_challenge_registers_once(served: ThreadedServer, session_id: str) -> None:
    with served.client() as client:
        flood(client, session_id)
        payload = solved(challenge_for(client, session_id))
        assert register(client, session_id, 100, altcha=payload).status_code == 201
        replayed = register(client, session_id, 101, altcha=payload)
        assert replayed.status_code == 428
        assert "already used" in replayed.json()["detail"]
        # a retry of the registration that used it (same Idempotency-Key) still gets its first answer
        again = solved(challenge_for(client, session_id))
        headers = {"Idempotency-Key": "retry-on-a-bad-line-1", "X-Forwarded-For": "198.51.100.4"}
        url = f"/api/v1/sessions/{session_id}/bookings"
        first = client.post(url, json={"locale": "nl", "altcha": again}, headers=headers)
        retried = client.post(url, json={"locale": "nl", "altcha": again}, headers=headers)
        assert (first.status_code, retried.status_code) == (201, 201)
        assert first.json()["code"] == retried.json()["code"]


def test_an_expired_foreign_forged_or_unsolved_challenge_is_refused(
    served: ThreadedServer, session_id: str, settings: SchedulerSettings
) -> None:
    with served.client() as client:
        flood(client, session_id)
        other = str(make_session(signed_in(client, ADMIN_EMAIL, ADMIN_PASSWORD))["id"])
        foreign = solved(challenge_for(client, other))
        # made with the scheduler's own key and session, but expired a minute ago
        expired = altcha.create_challenge(
            "PBKDF2/SHA-256",
            COST,
            expires_at=int(time.time()) - 60,
            data={"session": session_id},
            hmac_secret=settings.altcha_hmac_secret,
        )
        forged = altcha.create_challenge(
            "PBKDF2/SHA-256", COST, data={"session": session_id}, hmac_secret="not the scheduler's key at all"
        )
        unsolved = challenge_for(client, session_id)
        wrong = altcha.Payload(
            altcha.Challenge.from_dict(unsolved), altcha.Solution(counter=0, derived_key="00" * 32)
        ).to_base64()
        widget_test_mode = "eyJjaGFsbGVuZ2UiOm51bGwsInNvbHV0aW9uIjpudWxsLCJ0ZXN0Ijp0cnVlfQ=="
        tries = {
            "foreign": foreign,
            "expired": solved(expired.to_dict()),
            "forged": solved(forged.to_dict()),
            "wrong": wrong,
            "test mode": widget_test_mode,
            "not base64": "%%%",
        }
        answers = {name: register(client, session_id, 200 + n, altcha=p) for n, (name, p) in enumerate(tries.items())}
    assert {name: a.status_code for name, a in answers.items()} == dict.fromkeys(tries, 428)
    assert "another meeting" in answers["foreign"].json()["detail"]
    assert "expired" in answers["expired"].json()["detail"]


def test_below_the_threshold_nothing_is_asked(served: ThreadedServer, session_id: str) -> None:
    """Honest registrations are not slowed: below the threshold no challenge is needed, and a
    payload sent anyway (even a wrong one) is not held against anyone. Other sessions are not affected."""
    with served.client() as client:
        assert register(client, session_id, 0, altcha="not a payload").status_code == 201
        flood_rest = [register(client, session_id, n).status_code for n in range(1, FLOOD)]
        assert flood_rest == [201] * (FLOOD - 1)
        other = str(make_session(signed_in(client, ADMIN_EMAIL, ADMIN_PASSWORD))["id"])
        assert register(client, other, 500).status_code == 201
        page = client.get(f"/s/{other}")
    assert "altcha-widget" not in page.text


def test_off_at_zero(nats: NatsServer, database_url: str, keys: Keys) -> None:
    settings = scheduler_settings(nats.url, database_url, keys, altcha_flood_per_hour=0)
    with ThreadedServer(create_app(settings)) as server, server.client() as client:
        session = str(make_session(signed_in(client, ADMIN_EMAIL, ADMIN_PASSWORD))["id"])
        assert [register(client, session, n).status_code for n in range(30)] == [201] * 30


def test_the_page_asks_for_the_challenge_in_the_visitors_language(served: ThreadedServer, session_id: str) -> None:
    """Flooded, the page carries the widget (served from Brug), its texts in the page's language, and
    says without JavaScript what is needed; a form sent without a solution is not taken (428) and the
    page says so, keeping what was typed; with a solution it is taken."""
    with served.client() as client:
        before = client.get(f"/s/{session_id}?lang=ar")
        assert "altcha-widget" not in before.text
        flood(client, session_id)
        page = client.get(f"/s/{session_id}?lang=ar")
        assert page.status_code == 200
        assert "<altcha-widget" in page.text and 'language="ar"' in page.text
        assert f'challenge="/api/v1/sessions/{session_id}/challenge"' in page.text
        assert "<noscript>" in page.text and "JavaScript" in page.text
        assert "https://" not in page.text.split("<altcha-widget", 1)[1].split("</altcha-widget>", 1)[0]
        csrf = CSRF.search(page.text)
        assert csrf is not None
        form = {"csrf": csrf.group(1), "idempotency_key": "page-key-1", "nickname": "Amal"}
        refused = client.post(f"/s/{session_id}?lang=ar", data=form)
        assert refused.status_code == 428
        assert 'value="Amal"' in refused.text and "<altcha-widget" in refused.text
        assert 'role="alert"' in refused.text
        payload = solved(challenge_for(client, session_id))
        taken = client.post(f"/s/{session_id}?lang=ar", data={**form, "altcha": payload})
        assert taken.status_code == 303, taken.text  # to the booking page
        replayed = client.post(f"/s/{session_id}?lang=ar", data={**form, "idempotency_key": "k2", "altcha": payload})
        assert replayed.status_code == 428


def test_the_challenge_of_an_unknown_session_is_404(served: ThreadedServer) -> None:
    with served.client() as client:
        answer = client.get("/api/v1/sessions/no-such-session/challenge")
    assert answer.status_code == 404
    assert answer.json()["error"] == "SessionNotFound"


def test_two_schedulers_share_the_count_and_the_spent_solutions(
    served: ThreadedServer, session_id: str, settings: SchedulerSettings
) -> None:
    """Several scheduler processes may run: the flood counted by one holds for the other, and a solution
    spent on one is refused by the other (both are in the database, not in a process's memory)."""
    with ThreadedServer(create_app(settings)) as second, served.client() as one, second.client() as other:
        flood(one, session_id)
        assert register(other, session_id, 300).status_code == 428
        payload = solved(challenge_for(other, session_id))
        assert register(one, session_id, 301, altcha=payload).status_code == 201
        assert register(other, session_id, 302, altcha=payload).status_code == 428


def test_the_widget_is_vendored_unchanged_with_its_licence() -> None:
    """altcha.js, altcha.css and altcha-pbkdf2.js are the npm package's files byte for byte (altcha 3.2.2:
    ``dist/external/altcha.min.js``, ``dist/external/altcha.css``, ``dist/workers/pbkdf2.js``): upgrading
    means replacing them and these hashes. The external build carries no worker or style of its own, so
    the pages' CSP needs neither blob: nor inline styles; and neither file evaluates strings as code."""
    vendored = {
        "altcha.js": "959494398e8fcde3414d09309ade24b444ede098b04dec1514f4754279bff031",
        "altcha.css": "03622256effb4e962d0c1da9a59684cf237f541f290703934c07a97dabcbad47",
        "altcha-pbkdf2.js": "7862add9c9d3d847ded3da928edcf406b46478754b9883351111414825b9c86f",
    }
    for name, digest in vendored.items():
        code = (STATIC_DIR / name).read_bytes()
        assert hashlib.sha256(code).hexdigest() == digest, name
        assert b"eval(" not in code and b"new Function" not in code and b"createObjectURL" not in code, name
    assert "Daniel Regeci" in (STATIC_DIR / "altcha-LICENSE.txt").read_text()


def test_the_flooded_page_names_no_topic_in_its_source_in_any_locale(served: ThreadedServer, session_id: str) -> None:
    """The widget's texts and settings (its data attributes), the notices and the challenge's URL go
    through the discretion guard like the rest of the page, in every locale, as the page is first shown
    and as it is shown again after a form without the phone's work (428)."""
    with served.client() as client:
        flood(client, session_id)
        for number, locale in enumerate(SUPPORTED):
            page = client.get(f"/s/{session_id}?lang={locale}")
            assert "<altcha-widget" in page.text
            assert indiscretions(page.text) == [], locale
            csrf = CSRF.search(page.text)
            assert csrf is not None
            again = client.post(
                f"/s/{session_id}?lang={locale}",
                data={"csrf": csrf.group(1), "idempotency_key": locale},
                headers={"X-Forwarded-For": f"198.51.100.{number + 1}"},
            )
            assert again.status_code == 428
            assert indiscretions(again.text) == [], locale
