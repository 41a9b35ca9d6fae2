"""A session's poster (A4) and flyer (A6), and the page's ways to share its link."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import zxingcpp
from pypdf import PdfReader

from tests.scheduler.staff_pages.pages import browser
from tests.support.factories import make_session, make_venue
from tests.support.servers import ThreadedServer

#: words of the internal title, topics, audience and venue kind, which no printed sheet may carry
SENSITIVE = ("sexual", "violence", "geweld", "help", "women", "vrouwen", "centrum seksueel")
#: pt: fpdf's A4 and A6
SIZES = {"poster": (595.28, 841.89), "flyer": (297.64, 419.53)}


def _sheet(client: httpx.Client, session_id: str, kind: str) -> PdfReader:
    response = client.get(f"/staff/sessions/{session_id}/{kind}.pdf")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["cache-control"] == "no-store"
    return PdfReader(io.BytesIO(response.content))


def _qr_codes(reader: PdfReader) -> list[str]:
    """Every QR code on the sheet, read back from its images by a barcode reader."""
    return [code.text for page in reader.pages for image in page.images for code in zxingcpp.read_barcodes(image.image)]


@pytest.mark.parametrize("kind", ["poster", "flyer"])
def test_the_sheet_gives_each_languages_title_the_time_the_place_and_a_qr_code_of_the_page(
    kind: str, server: ThreadedServer, api: httpx.Client, staffed: dict[str, Any]
) -> None:
    session = make_session(
        api,
        ambassador_ids=[staffed["me"]["id"]],
        languages=["ti", "ar", "nl"],
        public_titles={"ti": "ናይ ሓሙስ ርክብ", "ar": "لقاء الخميس", "nl": "Donderdagmiddag"},
    )
    reader = _sheet(staffed["mine"], session["id"], kind)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width), 1), round(float(box.height), 1)) == tuple(round(v, 1) for v in SIZES[kind])
    text = reader.pages[0].extract_text()
    page_url = f"{server.app.state.runtime.settings.scheduler_public_url.rstrip('/')}/s/{session['id']}"
    assert _qr_codes(reader) == [page_url]
    assert page_url in text.replace("\n", "")
    for title in ("ናይ ሓሙስ ርክብ", "Donderdagmiddag"):
        assert title in text
    assert "Keizersgracht 12" in text  # the venue's public name
    assert "ተመዝገቡ" in text and "Aanmelden" in text  # "Register", in Tigrinya and Dutch
    assert not any(word in text.lower() for word in SENSITIVE), text


def test_before_the_venues_release_time_the_sheet_names_only_the_area(
    api: httpx.Client, staffed: dict[str, Any]
) -> None:
    hidden = make_venue(
        api,
        public_name="Centrum West",
        neighbourhood="Grachtengordel",
        address="Herengracht 99, 1015 BA Amsterdam",
        address_hidden_until_hours=24,
    )
    session = make_session(api, hidden, ambassador_ids=[staffed["me"]["id"]])
    text = _sheet(staffed["mine"], session["id"], "poster").pages[0].extract_text()
    assert "Grachtengordel" in text and "Amsterdam" in text
    assert "Herengracht" not in text


def test_only_who_may_open_the_session_prints_it_and_only_while_people_can_register(
    server: ThreadedServer, api: httpx.Client, staffed: dict[str, Any]
) -> None:
    session_id = staffed["session"]["id"]
    for kind in ("poster", "flyer"):
        assert staffed["theirs"].get(f"/staff/sessions/{session_id}/{kind}.pdf").status_code == 403
    with browser(server) as anonymous:
        assert anonymous.get(f"/staff/sessions/{session_id}/poster.pdf").status_code in (303, 401)
    called_off = make_session(api, ambassador_ids=[staffed["me"]["id"]])
    assert api.post(f"/api/v1/sessions/{called_off['id']}/cancel", json={"reason_code": "illness"}).status_code == 200
    refused = staffed["mine"].get(f"/staff/sessions/{called_off['id']}/poster.pdf")
    assert refused.status_code == 409
    assert "takes no registrations" in refused.text
    assert 'id="poster"' not in staffed["mine"].get(f"/staff/sessions/{called_off['id']}").text


def test_the_share_part_of_the_page_offers_whatsapp_the_phones_share_sheet_and_the_sheets(
    staffed: dict[str, Any],
) -> None:
    session_id = staffed["session"]["id"]
    page = staffed["mine"].get(f"/staff/sessions/{session_id}")
    assert page.status_code == 200
    assert f'href="/staff/sessions/{session_id}/poster.pdf"' in page.text
    assert f'href="/staff/sessions/{session_id}/flyer.pdf"' in page.text
    assert 'data-share="share-link"' in page.text  # shown by brug.js where the browser can share
    start = page.text.index('id="share-whatsapp" href="') + len('id="share-whatsapp" href="')
    link = page.text[start : page.text.index('"', start)].replace("&amp;", "&")
    assert link.startswith("https://wa.me/?text=")
    [message] = parse_qs(urlsplit(link).query)["text"]
    # the session's first language (Arabic): its public title, day and hour, and the page's link
    assert message.startswith("Thursday afternoon meeting, ")
    assert message.endswith(f"/s/{session_id}")
    assert not any(word in message.lower() for word in SENSITIVE), message
