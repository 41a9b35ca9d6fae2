"""Printable cards: one QR code and typed code per unused token, the public title only, fonts embedded."""

from __future__ import annotations

import io

import pytest
import zxingcpp
from pypdf import PdfReader

from feedback.cards.layout import Card, render_cards
from feedback.tokens.minting import derive_token, hash_token, printed_code
from tests.feedback.conftest import FeedbackService
from tests.support.tokens import StaffSigner

TITLES = {
    "ar": "لقاء يوم الخميس",
    "am": "የሐሙስ ስብሰባ",
    "ru": "Встреча в четверг",
    "ckb": "کۆبوونەوەی هەینی",  # Sorani's own letters (ۆ ە ڕ ێ) are in Noto Sans Arabic
}
#: the fonts a title needs besides Noto Sans (which prints the codes), each embedded (FontFile2).
SCRIPT_FONT = {"ar": ["NotoSansArabic"], "am": ["NotoSansEthiopic"], "ru": [], "ckb": ["NotoSansArabic"]}
INTERNAL_TITLE = "Where to find help"  # only the scheduler knows it; it must never reach a card


def _pdf(feedback: FeedbackService, session: str, headers: dict[str, str]) -> PdfReader:
    response = feedback.client.get(f"/api/v1/sessions/{session}/cards.pdf", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["cache-control"] == "no-store"
    return PdfReader(io.BytesIO(response.content))


def _decoded(reader: PdfReader) -> list[str]:
    """Every QR code on every page, read back from the embedded images by a barcode reader."""
    found = []
    for page in reader.pages:
        for image in page.images:
            codes = zxingcpp.read_barcodes(image.image)
            assert [c.format for c in codes] == [zxingcpp.BarcodeFormat.QRCode], image.name
            found.append(codes[0].text)
    return found


def _text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def _embedded_fonts(reader: PdfReader) -> dict[str, bool]:
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            fonts[str(font["/BaseFont"]).split("+")[-1]] = "/FontFile2" in descriptor
    return fonts


@pytest.mark.parametrize("script", sorted(TITLES))
def test_each_card_holds_a_working_qr_code_its_typed_code_and_the_public_title(
    feedback: FeedbackService, signer: StaffSigner, script: str
) -> None:
    title = TITLES[script]
    session = feedback.complete_session(attendance=5, title=title)  # a card for each who came
    reader = _pdf(feedback, session, signer.headers("coordinator"))
    urls = _decoded(reader)
    prefix = f"{feedback.settings.feedback_public_url}/f/"
    tokens = [url.removeprefix(prefix) for url in urls]
    assert all(url.startswith(prefix) for url in urls)
    assert tokens == [derive_token(feedback.keys.token_secret, session, i) for i in range(5)]
    for token in tokens:  # each is a live card of this session
        sql = f"SELECT session_id FROM feedback_token WHERE token_hash = '{hash_token(feedback.keys.token_secret, token)}' AND NOT used"
        assert feedback.scalar(sql) == session
    text = _text(reader)
    assert all(printed_code(token) in text for token in tokens)
    if script in ("ar", "ckb"):  # laid out right to left: extracted in visual order, the first word rightmost
        assert text.count(" ".join(reversed(title.split()))) == 5
    else:
        assert text.count(title) == 5
    assert INTERNAL_TITLE not in text
    assert _embedded_fonts(reader) == dict.fromkeys(["NotoSans", *SCRIPT_FONT[script]], True)


def test_printing_mints_nothing_and_leaves_out_used_cards(feedback: FeedbackService, signer: StaffSigner) -> None:
    session = feedback.complete_session(attendance=4, ambassadors=("amb-1",))
    count = f"SELECT count(*) FROM feedback_token WHERE session_id = '{session}' AND NOT link"
    assert feedback.scalar(count) == 4, "one card per person counted, no spare ones"
    used = derive_token(feedback.keys.token_secret, session, 1)
    typed = printed_code(used).lower().replace("0", "o").replace("1", "l")  # as a person might type it
    answered = feedback.client.post(f"/api/v1/forms/{typed}/responses", json={"answers": {"useful": 4}})
    assert answered.status_code == 201, answered.text
    reader = _pdf(feedback, session, signer.headers("ambassador", user_id="amb-1"))
    tokens = [url.rsplit("/", 1)[-1] for url in _decoded(reader)]
    assert tokens == [derive_token(feedback.keys.token_secret, session, i) for i in (0, 2, 3)]
    assert feedback.scalar(count) == 4, "printing derives the minted tokens again; it adds none"


def test_only_coordinators_and_the_sessions_own_ambassadors_may_print(
    feedback: FeedbackService, signer: StaffSigner
) -> None:
    session = feedback.complete_session(attendance=3, ambassadors=("amb-1",))
    url = f"/api/v1/sessions/{session}/cards.pdf"
    assert feedback.client.get(url).status_code == 401
    other = feedback.client.get(url, headers=signer.headers("ambassador", user_id="amb-2"))
    assert other.status_code == 403
    assert "an ambassador named on this session" in other.json()["detail"]
    assert feedback.client.get(url, headers=signer.headers("provider_staff", "ggd")).status_code == 403
    unknown = feedback.client.get("/api/v1/sessions/nope/cards.pdf", headers=signer.headers("coordinator"))
    assert (unknown.status_code, unknown.json()["error"]) == (404, "SessionUnknown")


def test_no_cards_once_the_feedback_window_has_closed(feedback: FeedbackService, signer: StaffSigner) -> None:
    session = feedback.complete_session(attendance=3, days_ago=20)
    response = feedback.client.get(f"/api/v1/sessions/{session}/cards.pdf", headers=signer.headers("coordinator"))
    assert (response.status_code, response.json()["error"]) == (409, "CardsUnavailable")


def test_an_ambassador_asks_for_a_few_more_cards_openly(feedback: FeedbackService, signer: StaffSigner) -> None:
    """Spare cards are what padding a report needs: none are minted unasked, a few may be asked for,
    and each request is audited with who asked and how many."""
    session = feedback.complete_session(attendance=3, ambassadors=("amb-1",))
    url = f"/api/v1/sessions/{session}/cards/extra"
    ambassador = signer.headers("ambassador", user_id="amb-1")
    added = feedback.client.post(url, json={"count": 2}, headers=ambassador)
    assert added.status_code == 200, added.text
    assert added.json() == {"extra": 2, "limit": 5}
    assert len(_decoded(_pdf(feedback, session, ambassador))) == 5
    too_many = feedback.client.post(url, json={"count": 4}, headers=ambassador)
    assert (too_many.status_code, too_many.json()["error"]) == (409, "TooManyCards")
    assert "2 extra card(s) beyond its attendance of 3" in too_many.json()["detail"]
    assert feedback.client.post(url, json={"count": 6}, headers=ambassador).status_code == 422
    assert (
        feedback.client.post(url, json={"count": 1}, headers=signer.headers("provider_staff", "ggd")).status_code == 403
    )
    assert (
        feedback.client.post(url, json={"count": 1}, headers=signer.headers("ambassador", user_id="amb-2")).status_code
        == 403
    )
    log = feedback.client.get("/api/v1/audit", params={"action": "cards.added"}, headers=signer.headers("coordinator"))
    entries = log.json()["entries"]
    assert [(e["actor_id"], e["targets"]) for e in entries] == [("amb-1", {"session_id": session, "count": "2"})]
    closed = feedback.complete_session(attendance=3, days_ago=20)
    late = feedback.client.post(
        f"/api/v1/sessions/{closed}/cards/extra", json={"count": 1}, headers=signer.headers("coordinator")
    )
    assert (late.status_code, late.json()["error"]) == (409, "CardsUnavailable")


def test_the_widest_possible_code_still_prints_on_two_lines() -> None:
    widest = "WWWW WWWW WWWW WWWW\nMMMM MMMM MMMM MMMM"  # the long tokens of cards printed before short codes
    pdf = render_cards([Card("http://127.0.0.1:8003/f/x", widest, "የሐሙስ ስብሰባ", "127.0.0.1:8003/f")])
    assert widest in _text(PdfReader(io.BytesIO(pdf)))
