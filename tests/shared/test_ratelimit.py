"""The rate limiter, on a real server: per client, per family, sliding window, Retry-After, proxies."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from fastapi import Depends, FastAPI
from starlette.requests import Request

from shared.errors import BrugError, NotFound, render_error
from shared.ratelimit import RateLimiter, SlidingWindow, client_address, install, rate_limited
from shared.settings import CommonSettings
from tests.support.servers import ThreadedServer


class Clock:
    """A clock the test moves by hand, so nobody waits a minute."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class WrongCode(NotFound):
    pass


@dataclass
class Limited:
    client: httpx.Client
    clock: Clock

    def get(self, path: str, client: str | None = None) -> httpx.Response:
        return self.client.get(path, headers={"X-Forwarded-For": client} if client else {})


def _app(settings: CommonSettings) -> FastAPI:
    app = FastAPI()

    @app.get("/codes/{code}", dependencies=[Depends(rate_limited("code", per_minute=3, failures=(WrongCode,)))])
    def lookup(code: str) -> dict[str, str]:
        if code != "right":
            raise WrongCode("No such code; check it letter by letter.")
        return {"code": code}

    @app.get("/sign-in", dependencies=[Depends(rate_limited("sign-in", per_minute=2))])
    def sign_in() -> dict[str, str]:
        return {"status": "ok"}

    app.add_exception_handler(BrugError, render_error)
    install(app, settings)
    return app


@pytest.fixture
def limited() -> Iterator[Limited]:
    settings = CommonSettings(rate_limit_trusted_proxies=["127.0.0.1"], rate_limit_per_minute={"sign-in": 2})
    app = _app(settings)
    clock = Clock()
    app.state.rate_limiter.clock = clock
    with ThreadedServer(app) as server, server.client() as client:
        yield Limited(client, clock)


def test_the_guess_after_the_limit_gets_429_with_retry_after_and_other_clients_go_on(limited: Limited) -> None:
    assert [limited.get(f"/codes/wrong{i}", "203.0.113.5").status_code for i in range(3)] == [404, 404, 404]
    limited.clock.now += 10
    refused = limited.get("/codes/right", "203.0.113.5")
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "50"
    assert refused.json() == {
        "error": "TooManyRequests",
        "detail": "Too many tries from your connection. Wait 50 seconds, then try again.",
    }
    assert limited.get("/codes/wrong", "203.0.113.6").status_code == 404, "another client is not held up"
    assert limited.get("/sign-in", "203.0.113.5").status_code == 200, "another family has its own count"


def test_the_window_slides_so_the_client_may_try_again_once_the_oldest_guess_leaves_it(limited: Limited) -> None:
    for i in range(3):  # at 1000, 1020, 1040
        limited.get(f"/codes/wrong{i}", "203.0.113.5")
        limited.clock.now += 20
    limited.clock.now -= 0.5
    refused = limited.get("/codes/right", "203.0.113.5")  # at 1059.5 the first guess is still in the window
    assert (refused.status_code, refused.headers["Retry-After"]) == (429, "1")
    limited.clock.now += 0.5
    assert limited.get("/codes/right", "203.0.113.5").status_code == 200
    assert limited.get("/codes/wrong", "203.0.113.5").status_code == 404
    assert limited.get("/codes/wrong", "203.0.113.5").status_code == 429


def test_right_answers_do_not_count_when_only_failures_do(limited: Limited) -> None:
    """Twenty people behind one reception centre's address, each with a right code."""
    assert {limited.get("/codes/right", "203.0.113.5").status_code for _ in range(20)} == {200}


def test_every_request_counts_without_failures_and_the_setting_overrides_the_route(limited: Limited) -> None:
    codes = [limited.get("/sign-in", "198.51.100.7").status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_the_client_is_the_rightmost_address_not_a_trusted_proxy() -> None:
    limiter = RateLimiter(trusted_proxies=["10.0.0.0/8"])

    def request(peer: str, forwarded: str | None) -> Request:
        headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded else []
        return Request({"type": "http", "client": (peer, 5000), "headers": headers})

    assert limiter.client(request("10.0.0.2", "1.2.3.4, 203.0.113.9, 10.0.0.7")) == "203.0.113.9"
    assert limiter.client(request("10.0.0.2", "not-an-address")) == "10.0.0.2"
    assert limiter.client(request("198.51.100.1", "203.0.113.9")) == "198.51.100.1", "not from a trusted proxy"
    assert RateLimiter().client(request("10.0.0.2", "203.0.113.9")) == "10.0.0.2", "no proxy trusted"
    assert client_address(request("10.0.0.2", "10.0.0.3"), limiter.trusted, "X-Forwarded-For") == "10.0.0.3"


def test_memory_stays_bounded_by_forgetting_idle_clients_first() -> None:
    window = SlidingWindow(limit=2, window=60, max_clients=3)
    window.take("idle", 0)
    window.take("a", 100)
    window.take("b", 100)
    window.take("c", 101)
    assert set(window.hits) == {"a", "b", "c"}
    assert window.take("a", 102) is None and window.take("a", 103) == 57
