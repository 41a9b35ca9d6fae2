"""Card codes a person can type: 12 characters, a check character, forgiving about case and look-alikes."""

from __future__ import annotations

import re

from feedback.tokens.minting import ALPHABET, CODE_LENGTH, checks, derive_token, long_token, printed_code, typed_code
from tests.feedback.conftest import FeedbackService
from tests.support.config import Keys

SECRET = Keys().token_secret
CODES = [derive_token(SECRET, f"session-{n}", i) for n in range(20) for i in range(10)]


def test_a_code_is_twelve_characters_of_crockford_base32_printed_in_three_groups() -> None:
    assert len(set(CODES)) == len(CODES)
    for code in CODES:
        assert len(code) == CODE_LENGTH and set(code) <= set(ALPHABET) and checks(code)
        assert printed_code(code) == f"{code[:4]} {code[4:8]} {code[8:]}"


def test_any_one_wrong_character_fails_the_check() -> None:
    for code in CODES:
        for position in range(CODE_LENGTH):
            for wrong in ALPHABET.replace(code[position], ""):
                assert not checks(code[:position] + wrong + code[position + 1 :]), (code, position, wrong)


def test_most_swaps_of_two_neighbours_fail_the_check() -> None:
    swaps = [code[:i] + code[i + 1] + code[i] + code[i + 2 :] for code in CODES for i in range(CODE_LENGTH - 1)]
    changed = [swapped for swapped in swaps if swapped not in CODES]
    caught = sum(not checks(swapped) for swapped in changed)
    assert caught / len(changed) > 0.95, f"{caught} of {len(changed)} swaps caught"


def test_a_code_is_read_back_however_it_is_typed() -> None:
    code = "0L1Z 9KQ2 M4OA"  # not a real code: what matters is how it is read
    assert typed_code(code) == "011Z" + "9KQ2" + "M40A"
    assert typed_code(" 0l1z-9kq2-m4oa ") == typed_code(code)
    for real in CODES[:20]:
        assert typed_code(printed_code(real).lower().replace("0", "o").replace("1", "i")) == real


def test_a_long_token_of_an_earlier_card_is_still_read() -> None:
    token = long_token(SECRET, "session-0", 0)
    assert len(token) == 32
    typed = printed_code(token).replace("\n", " ").lower().replace("o", "0").replace("i", "1")
    assert typed_code(typed) == token


#: a code's ASCII digits as a Persian, an Arabic, a fullwidth and a Devanagari keyboard type them
KEYBOARDS = [
    str.maketrans("0123456789", digits) for digits in ("۰۱۲۳۴۵۶۷۸۹", "٠١٢٣٤٥٦٧٨٩", "０１２３４５６７８９", "०१२३४५६७८९")
]


def test_a_code_typed_with_other_digits_is_read_as_ascii() -> None:
    with_digits = [code for code in CODES if re.search(r"\d", code)]
    assert len(with_digits) > 150
    for code in with_digits[:40]:
        for keyboard in KEYBOARDS:
            assert typed_code(printed_code(code).translate(keyboard).lower()) == code


def test_the_code_entry_page_opens_the_form_for_a_code_typed_in_persian_digits(feedback: FeedbackService) -> None:
    session = feedback.complete_session(attendance=12)
    cards = [derive_token(feedback.keys.token_secret, session, i) for i in range(12)]
    card = next(code for code in cards if re.search(r"\d", code))
    typed = printed_code(card).translate(KEYBOARDS[0])
    entered = feedback.client.get("/f", params={"code": typed, "lang": "fa"}, follow_redirects=True)
    assert entered.status_code == 200 and 'name="useful"' in entered.text
