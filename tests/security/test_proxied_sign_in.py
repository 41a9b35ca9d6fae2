"""Issue 16, item 4: the feedback and notifier staff pages sign in through the scheduler, which must
count each person's own connection, not the service in between.

Every client here is 127.0.0.1; a "browser" says which address it is with ``X-Forwarded-For``, as a
reverse proxy on the same host would (uvicorn believes it from 127.0.0.1, shared.ratelimit).
"""

from __future__ import annotations

import html
import itertools
import re
import secrets
import time
from pathlib import Path

import httpx
import pytest

from feedback.settings import FeedbackSettings
from shared.forwarded_client import HEADER, sign
from shared.natsserver import NatsServer
from shared.settings import SettingsError, load_settings
from shared.tls import client_context
from tests.security.served import served
from tests.support.config import ADMIN_EMAIL, ADMIN_PASSWORD, Keys
from tests.support.servers import CLIENT_SECONDS, ThreadedServer

CSRF = re.compile(r'name="csrf" value="([^"]+)"')
SECRET = secrets.token_hex(32)
_ADDRESSES = (f"203.0.113.{n}" for n in itertools.count(1))


def _browser(server: ThreadedServer) -> httpx.Client:
    """A browser of its own: its cookies, and its own address."""
    return httpx.Client(
        base_url=server.url,
        timeout=CLIENT_SECONDS,
        headers={"X-Forwarded-For": next(_ADDRESSES)},
        verify=client_context(),
    )


def _sign_in(browser: httpx.Client, email: str, password: str) -> httpx.Response:
    form = browser.get("/staff/sign-in")
    found = CSRF.search(form.text)
    assert found, form.text[:300]
    return browser.post("/staff/sign-in", data={"email": email, "password": password, "csrf": html.unescape(found[1])})


def test_ten_wrong_passwords_from_one_client_at_the_feedback_staff_page_lock_out_only_that_client(
    nats: NatsServer, database_urls: dict[str, str], tmp_path: Path
) -> None:
    """Attack: from one connection, ten wrong passwords a minute at the feedback service's staff page
    (ten addresses, so no account's own lock-out is touched) keep every provider out of their reports.

    Before (the scheduler saw every sign-in from the feedback service as one client): the coordinator
    signing in from another connection right after was refused, 429 "Too many attempts".
    After: the feedback service passes the person's address to the scheduler in X-Brug-Client, signed
    with BRUG_SERVICE_SECRET; the other connection signs in (303 to the staff home) and the guessing
    one stays refused. The same through the notifier's staff page.
    """
    shared_secret = {"service_secret": SECRET}
    with served(nats, database_urls, tmp_path, scheduler=shared_secret, others=shared_secret) as trio:
        for service in ("feedback", "notifier"):
            server = trio.servers[service]
            with _browser(server) as guesser, _browser(server) as colleague:
                for number in range(10):
                    wrong = _sign_in(guesser, f"nobody-{number}@example.org", "not the password")
                    assert wrong.status_code == 401, (service, number, wrong.text[:300])
                assert _sign_in(guesser, ADMIN_EMAIL, ADMIN_PASSWORD).status_code == 429  # its own limit holds
                signed = _sign_in(colleague, ADMIN_EMAIL, ADMIN_PASSWORD)
                assert signed.status_code == 303, (service, signed.status_code, signed.text[:300])
                home = colleague.get("/staff", follow_redirects=True)
                assert home.status_code == 200 and not home.url.path.startswith("/staff/sign-in"), service


def test_a_forged_or_stale_client_header_is_ignored_and_the_caller_is_counted_itself(
    nats: NatsServer, database_urls: dict[str, str], tmp_path: Path
) -> None:
    """Attack: a guesser at the scheduler's token endpoint names a new client in X-Brug-Client with every
    try (unsigned, signed with a made-up secret, a real signature replayed after its minute, or one
    signed for another address) to escape the per-client limit.

    Before this header existed there was nothing to forge; this holds it to its promise: all ten wrong
    passwords count against the caller's own address, and the eleventh try is refused 429.
    """
    with served(nats, database_urls, tmp_path, scheduler={"service_secret": SECRET}) as trio:
        now = time.time()
        forged = [
            "198.51.100.1",
            f"198.51.100.2;{int(now)};{'0' * 64}",
            sign(secrets.token_hex(32), "198.51.100.3", now),
            sign(SECRET, "198.51.100.4", now - 3600),
            sign(SECRET, "198.51.100.5", now).replace("198.51.100.5", "198.51.100.6"),
        ]
        with trio.client("scheduler") as client:
            for number in range(10):
                answer = client.post(
                    "/api/v1/auth/token",
                    data={"username": f"nobody-{number}@example.org", "password": "not the password"},
                    headers={HEADER: forged[number % len(forged)]},
                )
                assert answer.status_code == 401, answer.text
            eleventh = client.post(
                "/api/v1/auth/token",
                data={"username": ADMIN_EMAIL, "password": ADMIN_PASSWORD},
                headers={HEADER: "198.51.100.7"},
            )
            assert eleventh.status_code == 429
            elsewhere = client.post(
                "/api/v1/auth/token",
                data={"username": ADMIN_EMAIL, "password": ADMIN_PASSWORD},
                headers={HEADER: sign(SECRET, "198.51.100.8", time.time())},
            )
            assert elsewhere.status_code == 200  # a service's signed header does name another client


def test_a_short_or_placeholder_service_secret_stops_the_service_at_start(keys: Keys) -> None:
    """A guessable secret would let anyone sign a header: refused with the setting's name."""
    for weak in ("too-short", "x" * 40):
        with pytest.raises(SettingsError, match="BRUG_SERVICE_SECRET"):
            load_settings(FeedbackSettings, feedback_token_secret=keys.token_secret, service_secret=weak)
    kept = load_settings(FeedbackSettings, feedback_token_secret=keys.token_secret, service_secret=SECRET)
    assert kept.service_secret is not None and kept.service_secret.get_secret_value() == SECRET
    assert (
        load_settings(FeedbackSettings, feedback_token_secret=keys.token_secret, service_secret="").service_secret
        is None
    )
