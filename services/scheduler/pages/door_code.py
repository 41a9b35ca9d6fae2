"""The QR code on the booking page, for the door: it holds the booking code and nothing else.

Not the page's link: that link carries the secret token that sees and cancels the booking, and a
phone at the door (or anyone who photographs the screen) must not get it. The code alone opens
nothing; the door page (scheduler.staff.check_in) reads it from the camera and checks the person in
as if the code were typed. An SVG in a ``data:`` URL, which the pages' CSP allows for images.
"""

from __future__ import annotations

import segno

__all__ = ["qr_data_uri"]


def qr_data_uri(code: str) -> str:
    """The booking code as a QR code (medium error correction: a scratched or dim screen still scans)."""
    return str(
        segno.make(code, error="m", micro=False).svg_data_uri(
            scale=8, border=4, dark="#000", light="#fff", omitsize=True
        )
    )
