"""The staff pages' words: Dutch pages, the staff catalog, and a name for every code the API takes."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any, get_args

from babel.messages.pofile import read_po

from scheduler.sessions.schemas import IntegrationPhase
from scheduler.staff.labels import AUDIENCES, INTEGRATION_PHASES, TOPIC_NAMES, VENUE_KINDS
from scheduler.venues.schemas import VenueKind
from shared.events import Audience
from shared.topics import TOPICS
from tests.scheduler.staff_pages.pages import ROOT


def test_dutch_pages_are_in_dutch(staffed: dict[str, Any]) -> None:
    page = staffed["mine"].get(f"/staff/sessions/{staffed['session']['id']}?lang=nl")
    assert page.status_code == 200 and '<html lang="nl"' in page.text
    assert "Inchecken" in page.text and "Check in" not in page.text


MESSAGE = re.compile(r"""(?:\b_|\bN_|\.gettext)\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')""")
SOURCES = [
    *sorted((ROOT / "services" / "scheduler" / "staff").rglob("*.py")),
    *sorted((ROOT / "services" / "scheduler" / "staff" / "templates").glob("*.html")),
    ROOT / "shared" / "pages" / "staff.py",
    *sorted((ROOT / "shared" / "pages" / "templates").glob("staff_*.html")),
    # the allowance warnings, said in the reader's language on the hours and session pages
    ROOT / "services" / "scheduler" / "hours" / "allowance.py",
    ROOT / "services" / "scheduler" / "hours" / "foresight.py",
]


def _messages(path: Path) -> set[str]:
    """The texts ``path`` marks for translation; in Python read from its syntax tree, so that a long
    message written as adjacent strings is found whole."""
    if path.suffix != ".py":
        return {a or b for a, b in MESSAGE.findall(path.read_text())}
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if not (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        if name in ("_", "N_", "gettext") and isinstance(node.args[0].value, str):
            found.add(node.args[0].value)
    return found


def test_every_staff_text_has_a_dutch_translation_with_the_same_placeholders() -> None:
    found = set().union(*(_messages(path) for path in SOURCES))
    assert any(m.startswith("{name}: the sessions planned in {month}") for m in found)  # written as adjacent strings
    assert len(found) > 100 and "Check in" in found
    with (ROOT / "shared" / "locales" / "nl" / "LC_MESSAGES" / "staff-scheduler.po").open("rb") as source:
        catalog = read_po(source)
    missing = sorted(m for m in found if catalog.get(m) is None or not catalog.get(m).string)
    assert not missing, f"staff-scheduler.po lacks {len(missing)} texts: {missing[:8]}"
    for english in found:
        dutch = catalog.get(english)
        assert not dutch.fuzzy, english
        assert sorted(re.findall(r"\{\w+\}", dutch.string)) == sorted(re.findall(r"\{\w+\}", english)), english


def test_the_staff_catalog_changes_no_attendee_text() -> None:
    """shared/i18n.py merges staff-*.po over brug.po: a text both have must read the same in both,
    or the attendee's page would change with it (e.g. a cancelled *booking* read as a called-off session)."""
    folder = ROOT / "shared" / "locales" / "nl" / "LC_MESSAGES"
    with (folder / "brug.po").open("rb") as source:
        attendee = {m.id: m.string for m in read_po(source) if m.id}
    with (folder / "staff-scheduler.po").open("rb") as source:
        staff = {m.id: m.string for m in read_po(source) if m.id}
    assert {k: (attendee[k], staff[k]) for k in set(attendee) & set(staff) if attendee[k] != staff[k]} == {}


def test_every_code_the_api_takes_has_a_name_on_the_pages() -> None:
    assert set(AUDIENCES) == set(Audience)
    assert set(INTEGRATION_PHASES) == set(get_args(IntegrationPhase))
    assert set(TOPIC_NAMES) == set(TOPICS)
    assert set(VENUE_KINDS) == set(get_args(VenueKind))
