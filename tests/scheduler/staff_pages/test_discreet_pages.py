"""Discreet staff pages: a phone at the door may be seen by others, so the staff list and a session's
page lead with the public title and the time. The internal title, which may name the topic, is one
tap away in a closed ``<details>`` ("Title for staff"): never in the tab title (browser history, the
task switcher) nor in a heading, nor anywhere else on the page outside that ``<details>``. The list names the place by
the venue's public name; the venue's own name is folded away with the internal title."""

from __future__ import annotations

import html
import re
from typing import Any

import httpx

from tests.support.factories import make_session

INTERNAL = "Sexual violence: where to find help"
DETAILS = re.compile(r"<details\b([^>]*)>(.*?)</details>", flags=re.S | re.I)


def _text(markup: str) -> str:
    without_tags = re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)\b.*?</\1>", " ", markup, flags=re.S | re.I))
    return " ".join(html.unescape(without_tags).split())


def _check_discreet(page: httpx.Response, public_title: str) -> None:
    assert page.status_code == 200, page.text[:300]
    title = re.search(r"<title>(.*?)</title>", page.text, flags=re.S)
    assert title and INTERNAL not in _text(title.group(1)), title
    for heading in re.findall(r"<h[1-6]\b[^>]*>(.*?)</h[1-6]>", page.text, flags=re.S):
        assert INTERNAL not in _text(heading), heading
    outside = DETAILS.sub(" ", page.text)
    assert INTERNAL not in _text(outside), "the internal title is shown outside the <details>"
    assert public_title in _text(outside)
    holding = [(attributes, body) for attributes, body in DETAILS.findall(page.text) if INTERNAL in _text(body)]
    assert holding, "the internal title is not one tap away"
    for attributes, body in holding:
        assert not re.search(r"\bopen\b", attributes), "the <details> must be closed by default"
        summary = re.search(r"<summary\b[^>]*>(.*?)</summary>", body, flags=re.S)
        assert summary and _text(summary.group(1)) == "Title for staff"
        assert INTERNAL not in _text(summary.group(1))


def test_the_staff_list_leads_with_the_public_title_and_keeps_the_internal_one_a_tap_away(
    staffed: dict[str, Any], api: httpx.Client
) -> None:
    session = staffed["session"]
    assert session["internal_title"] == INTERNAL
    home = staffed["mine"].get("/staff")
    _check_discreet(home, session["public_title"])
    assert f'href="/staff/sessions/{session["id"]}"' in home.text
    # the link to the session is the public title, not the internal one
    link = re.search(rf'<a href="/staff/sessions/{session["id"]}"[^>]*>(.*?)</a>', home.text, flags=re.S)
    assert link and _text(link.group(1)) == session["public_title"]
    # the place by the venue's public name; its own name (a centre's, saying what it is) is folded away too
    outside = _text(DETAILS.sub(" ", home.text))
    assert "Keizersgracht 12" in outside and "Centrum Seksueel Geweld" not in outside
    assert any("Centrum Seksueel Geweld" in _text(body) for _, body in DETAILS.findall(home.text))


def test_the_session_page_names_no_internal_title_in_its_tab_or_headings(
    staffed: dict[str, Any], api: httpx.Client
) -> None:
    session = make_session(api, ambassador_ids=[staffed["me"]["id"]], public_title="Tea on Tuesday")
    page = staffed["mine"].get(f"/staff/sessions/{session['id']}")
    _check_discreet(page, "Tea on Tuesday")
    title = re.search(r"<title>(.*?)</title>", page.text, flags=re.S)
    assert title and "Tea on Tuesday" in _text(title.group(1))
    h1 = re.search(r"<h1\b[^>]*>(.*?)</h1>", page.text, flags=re.S)
    assert h1 and _text(h1.group(1)) == "Tea on Tuesday"


def test_moving_a_session_leads_with_the_public_title(staffed: dict[str, Any], api: httpx.Client) -> None:
    session = staffed["session"]
    page = staffed["mine"].get(f"/staff/sessions/{session['id']}/edit")
    assert page.status_code == 200, page.text[:300]
    lead = re.search(r'<p class="lead">(.*?)</p>', page.text, flags=re.S)
    assert lead and session["public_title"] in _text(lead.group(1)) and INTERNAL not in _text(lead.group(1))
    title = re.search(r"<title>(.*?)</title>", page.text, flags=re.S)
    assert title and INTERNAL not in _text(title.group(1))
    holding = [body for _, body in DETAILS.findall(page.text) if INTERNAL in _text(body)]
    assert holding and "Title for staff" in _text(holding[0])


def test_the_summary_is_in_dutch(staffed: dict[str, Any]) -> None:
    page = staffed["mine"].get(f"/staff/sessions/{staffed['session']['id']}?lang=nl")
    assert re.search(r"<summary\b[^>]*>\s*Titel voor medewerkers\s*</summary>", page.text)
    assert INTERNAL not in _text(DETAILS.sub(" ", page.text))
