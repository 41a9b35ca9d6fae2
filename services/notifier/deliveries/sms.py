"""SMS encoding: GSM-7 when every character allows it, else UCS-2; and segment counts.

A long SMS is split into segments of 153 GSM-7 septets (160 when it fits in
one) or 67 UCS-2 code units (70 when it fits in one); gateways bill per
segment, so the count is recorded with every delivery. A character is never
cut between two segments: an extension character (``€``, ``[``...) is an
escape septet and its code, an emoji a UTF-16 surrogate pair, and a segment
with room for only one of the two ends early. So ``'a'*152 + '€' + 'a'*152``
(306 septets) takes three segments, not two. tests/notifier/test_sms.py
checks the counts against an independent GSM 03.38 codec.
"""

from __future__ import annotations

__all__ = ["encoding", "segments"]

_GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM7_EXTENDED = set("^{}\\[~]|€\f")


def encoding(text: str) -> str:
    """``"GSM-7"`` or ``"UCS-2"``."""
    return "GSM-7" if all(ch in _GSM7_BASIC or ch in _GSM7_EXTENDED for ch in text) else "UCS-2"


def segments(text: str) -> int:
    """How many SMS segments ``text`` takes."""
    if encoding(text) == "GSM-7":
        return _packed([2 if ch in _GSM7_EXTENDED else 1 for ch in text], single=160, multi=153)
    return _packed([2 if ord(ch) > 0xFFFF else 1 for ch in text], single=70, multi=67)


def _packed(sizes: list[int], single: int, multi: int) -> int:
    """Segments for characters of these sizes (septets or code units), none cut in two."""
    if sum(sizes) <= single:
        return 1
    count, used = 1, 0
    for size in sizes:
        if used + size > multi:
            count, used = count + 1, 0
        used += size
    return count
