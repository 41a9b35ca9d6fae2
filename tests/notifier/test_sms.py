"""SMS encoding and segment counts, which decide what a message costs.

The boundaries are cross-checked against an independent GSM 03.38 codec (PyPI ``gsm0338``): it
encodes each character to its septets (an extension character as ESC and its code), and a
message is cut into segments the way a phone does, where an escape pair, like a UTF-16
surrogate pair in UCS-2, never straddles two segments.
"""

from __future__ import annotations

from collections.abc import Callable

import gsm0338  # noqa: F401  registers the "gsm03.38" codec
import pytest

from notifier.deliveries.sms import encoding, segments

ESCAPE = 0x1B


def _gsm7_alphabet() -> set[str]:
    """Every character the codec can encode: its basic table and its extension table."""
    basic = {bytes([code]).decode("gsm03.38") for code in range(128) if code != ESCAPE}
    extended = {bytes([ESCAPE, code]).decode("gsm03.38", errors="ignore") for code in range(128)}
    return (basic | extended) - {""}


def _cut(units: list[int], single: int, multi: int, first_half: Callable[[int], bool]) -> int:
    """Cut an encoded stream (septets, or UTF-16 code units) as a phone does: at ``multi`` units, one
    unit earlier when the last would be the first half of a pair (an escape, a high surrogate)."""
    if len(units) <= single:
        return 1
    count, start = 0, 0
    while start < len(units):
        end = min(start + multi, len(units))
        if end < len(units) and first_half(units[end - 1]):
            end -= 1
        count, start = count + 1, end
    return count


def reference_segments(text: str) -> int:
    """The independent count: the codec's septets (one byte each), else UTF-16 code units."""
    try:
        septets = list(text.encode("gsm03.38"))
    except UnicodeEncodeError:
        raw = text.encode("utf-16-be")
        units = [int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw), 2)]
        return _cut(units, 70, 67, lambda unit: 0xD800 <= unit <= 0xDBFF)
    return _cut(septets, 160, 153, lambda septet: septet == ESCAPE)


@pytest.mark.parametrize(
    ("text", "expected_encoding", "expected_segments"),
    [
        ("a" * 160, "GSM-7", 1),
        ("a" * 161, "GSM-7", 2),
        ("a" * 306, "GSM-7", 2),
        ("a" * 307, "GSM-7", 3),
        ("€" * 80, "GSM-7", 1),  # extension characters take two septets
        ("€" * 81, "GSM-7", 2),
        ("لديك مكان" * 7 + "ل" * 7, "UCS-2", 1),  # 70 Arabic characters
        ("ل" * 71, "UCS-2", 2),
        ("ሰላም" * 45, "UCS-2", 3),  # Ge'ez script (Tigrinya): 135 code units
        ("Je code: K7QF-93XA 😀", "UCS-2", 1),  # an emoji is two UTF-16 code units
    ],
)
def test_encoding_and_segments(text: str, expected_encoding: str, expected_segments: int) -> None:
    assert encoding(text) == expected_encoding
    assert segments(text) == expected_segments


BOUNDARIES = {
    # septets: one segment holds 160, each of several 153
    "152 septets": ("a" * 152, 1),
    "153 septets": ("a" * 153, 1),
    "160 septets": ("a" * 160, 1),
    "161 septets": ("a" * 161, 2),
    "159 septets and an escape pair (161)": ("a" * 159 + "€", 2),
    "158 septets and an escape pair (160)": ("a" * 158 + "€", 1),
    # an escape pair at septets 152/153 of the first segment moves whole to the next
    "escape pair at 152/153": ("a" * 151 + "€" + "a" * 153, 2),
    "escape pair at 153/154": ("a" * 152 + "€" + "a" * 152, 3),  # 306 septets, counted 2 before
    "escape pair at 153/154, then 151": ("a" * 152 + "€" + "a" * 151, 2),
    "escape pair at 152/153 of the second segment": ("a" * 153 + "a" * 152 + "{" + "a" * 5, 3),
    "every character an escape pair (162)": ("[" * 81, 2),
    "escape pairs to 306": ("]" * 153, 3),  # 76 pairs (152) fill a segment; 153 pairs need three
    # UCS-2: one segment holds 70 units, each of several 67
    "67 units": ("ل" * 67, 1),
    "70 units": ("ل" * 70, 1),
    "71 units": ("ل" * 71, 2),
    "134 units": ("ل" * 134, 2),
    "135 units": ("ل" * 135, 3),
    "surrogate pair at 66/67": ("ل" * 65 + "😀" + "ل" * 67, 2),
    "surrogate pair at 67/68": ("ل" * 66 + "😀" + "ل" * 66, 3),  # 134 units, counted 2 before
    "surrogate pair at 69/70 fits one": ("ل" * 68 + "😀", 1),
    "surrogate pair at 70/71": ("ل" * 69 + "😀", 2),
    "surrogate pairs only (35 = 70 units)": ("😀" * 35, 1),
    "surrogate pairs only (67 = 134 units)": ("😀" * 67, 3),  # 33 pairs (66 units) a segment
    # mixed: one non-GSM character makes the whole message UCS-2
    "GSM text with one emoji": ("a" * 60 + "😀" + "€" * 5, 1),
    "GSM text with one Arabic letter": ("a" * 70 + "ل", 2),
    "escape characters in UCS-2 take one unit": ("€" * 69 + "ل", 1),
}


@pytest.mark.parametrize(("text", "expected"), BOUNDARIES.values(), ids=BOUNDARIES.keys())
def test_segment_boundaries_agree_with_an_independent_gsm_codec(text: str, expected: int) -> None:
    assert reference_segments(text) == expected, "the reference itself"
    assert segments(text) == expected


def test_the_gsm7_alphabet_is_the_codecs() -> None:
    alphabet = _gsm7_alphabet()
    assert len(alphabet) == 128 - 1 + 10  # the basic table without ESC, and the ten extension characters
    assert encoding("".join(sorted(alphabet))) == "GSM-7"
    for character in ("ç", "õ", "—", "’", "ل", "😀", "\x1b"):
        assert (character in alphabet) == (encoding(character) == "GSM-7"), repr(character)


@pytest.mark.parametrize("filler", ["a", "€a", "a€", "a^b", "ل", "😀ل", "ل😀", "😀a"])
def test_every_length_up_to_three_segments_agrees_with_the_codec(filler: str) -> None:
    texts = [(filler * length)[:length] for length in range(1, 470)]
    wrong = [(len(text), segments(text), reference_segments(text)) for text in texts]
    assert [w for w in wrong if w[1] != w[2]] == []
