"""SMS encoding: GSM-7 when every character allows it, else UCS-2; and segment counts.

A long SMS is split into segments of 153 GSM-7 characters (160 when it fits
in one) or 67 UCS-2 code units (70 when it fits in one); gateways bill per
segment, so the count is recorded with every delivery.
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
        units = sum(2 if ch in _GSM7_EXTENDED else 1 for ch in text)
        single, multi = 160, 153
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, multi = 70, 67
    if units <= single:
        return 1
    return -(-units // multi)
