"""What the browser tests check on every page: accessibility (axe-core), discretion, screenshots."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from PIL import Image

from shared.discretion import sensitive_words_in
from shared.topics import TOPICS

__all__ = ["check_accessible", "check_discreet", "screenshot", "INTERNAL_TITLE", "SCREENSHOTS"]

#: axe-core 4.14.1 from the npm registry (``npm pack axe-core@4.14.1``; MPL-2.0, Deque Systems, its
#: licence header kept at the top of the file). Injected by the tests only, never served to users.
AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
#: tests.support.factories.make_session's internal title: it must never reach a page.
INTERNAL_TITLE = "Sexual violence: where to find help"
WIDTHS = (360, 1280)


def check_accessible(page: Any) -> None:
    """axe-core finds no serious or critical violation (WCAG 2.x A/AA rules and best practices)."""
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
    shared.discretion in any language, not the internal title, no topic id."""
    shown = page.title() + "\n" + page.inner_text("body")
    assert sensitive_words_in(shown) == [], f"{page.url} shows {sensitive_words_in(shown)}"
    assert INTERNAL_TITLE.casefold() not in shown.casefold()
    for topic in TOPICS:
        assert topic not in shown, f"{page.url} shows the topic id {topic}"


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
