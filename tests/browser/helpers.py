"""What the browser tests check on every page: accessibility (axe-core), discretion, screenshots."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from PIL import Image

from shared.discretion import sensitive_words_in
from shared.topics import TOPICS
from tests.support.page_source import INTERNAL_TITLE, indiscretions

__all__ = [
    "check_accessible",
    "check_discreet",
    "check_fits",
    "check_staff_page",
    "screenshot",
    "sign_in",
    "INTERNAL_TITLE",
    "SCREENSHOTS",
]

#: axe-core 4.14.1 from the npm registry (``npm pack axe-core@4.14.1``; MPL-2.0, Deque Systems, its
#: licence header kept at the top of the file). Injected by the tests only, never served to users.
AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
WIDTHS = (360, 1280)


#: What sticks out of the viewport, for a failure message that says where to look (not the skip
#: link: it waits off screen on the side no page scrolls to).
_STICKING_OUT = """() => [...document.querySelectorAll("body *:not(.skip)")]
  .filter(e => e.getBoundingClientRect().width > 0
    && (e.getBoundingClientRect().right > innerWidth + 0.5 || e.getBoundingClientRect().left < -0.5))
  .slice(0, 5).map(e => `${e.tagName.toLowerCase()}.${e.className} ${Math.round(e.getBoundingClientRect().width)} px`)"""


def loaded(page: Any) -> None:
    """Wait for the page's stylesheet and script. A click that navigates returns once the new page's
    elements are there, maybe before its stylesheet: a layout measured then is one no browser shows
    (nothing is drawn before the stylesheet), and contrast checks would read default colours."""
    page.wait_for_load_state("load")


def check_fits(page: Any, width: int | None = None) -> None:
    """Nothing makes the phone scroll sideways, at ``width`` CSS pixels if given (320: the narrowest
    phones). Wide tables may scroll within their own box."""
    loaded(page)
    if width is not None:
        page.set_viewport_size({"width": width, "height": 640})
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner, f"{page.url} is {scroll} px wide at {inner} px: {page.evaluate(_STICKING_OUT)}"


def check_accessible(page: Any) -> None:
    """axe-core finds no serious or critical violation (WCAG 2.x A/AA rules and best practices)."""
    loaded(page)
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE)  # evaluated through DevTools, so the page's CSP does not block it
    result = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    grave = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result
        if v["impact"] in ("serious", "critical")
    ]
    assert not grave, f"{page.url}: " + "; ".join(grave)


def check_discreet(page: Any) -> None:
    """Neither the tab title nor any visible text names what the session is about: no word of
    shared.discretion in any language, not the internal title, no topic id; nor does the page's
    source as the browser holds it now, scripts run (every attribute value, id, class, data-*
    attribute, link path: tests/support/page_source.py; the source as it arrived is checked for
    every attendee page in tests/browser/conftest.py)."""
    loaded(page)
    shown = page.title() + "\n" + page.inner_text("body")
    assert sensitive_words_in(shown) == [], f"{page.url} shows {sensitive_words_in(shown)}"
    assert INTERNAL_TITLE.casefold() not in shown.casefold()
    for topic in TOPICS:
        assert topic not in shown, f"{page.url} shows the topic id {topic}"
    assert indiscretions(page.content()) == [], f"{page.url}'s source: {indiscretions(page.content())}"


def screenshot(page: Any, name: str, widths: tuple[int, ...] = WIDTHS) -> None:
    """``docs/screenshots/<name>-<width>.png`` at each width (the README shows them)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    height = page.viewport_size["height"] if page.viewport_size else 760
    for width in widths:
        page.set_viewport_size({"width": width, "height": 760 if width < 800 else 800})
        shot = page.screenshot(full_page=width < 800, scale="css")
        _save_small(shot, SCREENSHOTS / f"{name}-{width}.png")
    page.set_viewport_size({"width": 360, "height": height})


def _save_small(png: bytes, path: Path) -> None:
    """A 128-colour palette PNG: a third of the size, and text stays crisp."""
    image = Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=128)
    image.save(path, optimize=True)


def text_of(page: Any, selector: str) -> str:
    return re.sub(r"\s+", " ", page.inner_text(selector)).strip()


#: a staff page after signing in: /staff, /staff?..., /staff/...
STAFF_PAGE = re.compile(r"/staff(\?|$|/)")


def sign_in(page: Any, email: str, password: str, lands_on: re.Pattern[str] | None = STAFF_PAGE) -> None:
    """Sign in on the staff sign-in page ``page`` shows, and wait for the page it leads to
    (``lands_on``; None: do not wait, for a sign-in that is meant to fail)."""
    page.fill("#email", email)
    page.fill("#password", password)
    page.get_by_role("button", name="Sign in").click()
    if lands_on is not None:
        page.wait_for_url(lands_on)


def check_staff_page(page: Any) -> None:
    """What every staff page must be on a phone: accessible, 360 px wide, discreet."""
    check_accessible(page)
    check_fits(page, 360)
    check_discreet(page)
