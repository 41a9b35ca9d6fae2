"""Browser tests: Debian's Chromium driven by Playwright, against the real services and NATS.

One browser for the whole test session, one running system (nats-server and
the three services as processes) per test module, a fresh browser context
(cookies, viewport, language) per test. Every context records the requests
its pages make and the console's complaints: a request to anything but our
own services, or a Content-Security-Policy violation, fails the test. Every
attendee page a context loads (/s, /b, /agenda, /f, /q) is read as it arrives, and
its HTML source (every attribute value and link, not only the visible text)
goes through the discretion guard (tests/support/page_source.py).

Chromium comes from Debian (``apt-get install -y chromium fonts-noto-core``);
``playwright install`` is never needed. Without it these tests are skipped,
unless ``BRUG_REQUIRE_BROWSER=1`` (CI) makes that a failure.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from shared.natsserver import NatsServer
from tests.support.page_source import indiscretions
from tests.support.system import System

INSTALL = "apt-get install -y chromium fonts-noto-core"
#: the paths of the pages attendees open (the scheduler's /s, /b and /agenda, the feedback service's /f and /q)
ATTENDEE_PATHS = re.compile(r"^/(?:s|b|q)/|^/f(?:/|$)|^/agenda$")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
#: the neutral site the quick-exit button leaves for; tests answer it themselves, offline.
NEUTRAL_HOST = "www.google.com"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the modules that use the browser after every other test.

    While Playwright's sync API has a browser open, its event loop counts as
    running in the main thread, so an ``asyncio.run`` in a later test would
    fail; with the browser modules last (whole modules, so each starts its
    system once), the one browser of the session can stay open to the end.
    """
    with_browser = {item.path for item in items if "browser" in getattr(item, "fixturenames", ())}
    items.sort(key=lambda item: item.path in with_browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    executable = shutil.which("chromium")
    if executable is None:
        message = f"Chromium is not installed; the browser tests need it: {INSTALL}"
        if os.environ.get("BRUG_REQUIRE_BROWSER") == "1":
            pytest.fail(message + " (BRUG_REQUIRE_BROWSER=1)")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="module")
def system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[System]:
    """The whole system on SQLite, shared by a module's tests (each makes its own sessions)."""
    root = tmp_path_factory.mktemp("system")
    nats = NatsServer(root / "nats", log_file=root / "nats.log").start()
    running = System(
        root=root,
        nats=nats,
        database_urls={name: f"sqlite:///{root / (name + '.db')}" for name in ("scheduler", "notifier", "feedback")},
    )
    try:
        yield running.start()
    finally:
        running.stop()
        nats.stop()


class Watch:
    """What a context's pages asked for and complained about."""

    def __init__(self) -> None:
        self.foreign: list[str] = []
        self.console: list[str] = []
        self.indiscreet: dict[str, list[str]] = {}
        self.sources = 0

    def read_source(self, url: str, html: str) -> None:
        """An attendee page's HTML source as it arrived: nothing in it may name a topic."""
        self.sources += 1
        found = indiscretions(html)
        if found:
            self.indiscreet[urlsplit(url).path] = found

    def check(self) -> None:
        assert not self.foreign, f"pages made requests to third parties: {self.foreign}"
        assert not self.indiscreet, f"an attendee page's source names what a session is about: {self.indiscreet}"
        blocked = [m for m in self.console if "Content Security Policy" in m or "Refused to" in m]
        assert not blocked, f"the Content-Security-Policy blocked something: {blocked}"


def _attendee_page(request: Any) -> bool:
    return bool(request.resource_type == "document" and ATTENDEE_PATHS.match(urlsplit(request.url).path))


@pytest.fixture
def open_context(browser: Any) -> Iterator[Callable[..., Any]]:
    """``open_context(**options)``: a new browser context (Playwright's options), watched."""
    opened: list[tuple[Any, Watch]] = []

    def make(**options: Any) -> Any:
        options.setdefault("viewport", {"width": 360, "height": 760})
        context = browser.new_context(**options)
        watch = Watch()

        def route(route: Any) -> None:
            host = urlsplit(route.request.url).hostname
            if host == NEUTRAL_HOST:  # the quick exit, answered here so no test goes online
                route.fulfill(status=200, content_type="text/html", body="<title>Weather</title><p>Weather</p>")
            elif host in ("127.0.0.1", "localhost") and _attendee_page(route.request):
                answer = route.fetch(max_redirects=0)  # a redirect goes back to the browser, which follows it
                watch.read_source(route.request.url, answer.text())
                route.fulfill(response=answer)
            elif host in ("127.0.0.1", "localhost"):
                route.continue_()
            else:
                watch.foreign.append(route.request.url)
                route.abort()

        context.route("**/*", route)
        context.on("console", lambda message: watch.console.append(message.text))
        opened.append((context, watch))
        return context

    yield make
    for context, _watch in opened:
        context.close()
    for _context, watch in opened:
        watch.check()


@pytest.fixture
def context(open_context: Callable[..., Any]) -> Any:
    """A phone-sized context in English, JavaScript on."""
    return open_context(locale="en-GB")
