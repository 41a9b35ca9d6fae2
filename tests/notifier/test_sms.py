"""SMS encoding and segment counts, which decide what a message costs."""

from __future__ import annotations

import pytest

from notifier.deliveries.sms import encoding, segments


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
