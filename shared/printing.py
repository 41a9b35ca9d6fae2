"""Printed sheets (PDF): the feedback cards and the session posters and flyers.

Fonts are embedded (Noto Sans, Noto Sans Arabic, Noto Sans Ethiopic; SIL OFL, ``fonts/OFL.txt``) and
text is shaped by HarfBuzz, so Arabic joins and runs right to left and Ge'ez and Cyrillic print as
written, whatever the printer has installed. fpdf is imported when a sheet is made: it and its font
tools take a quarter of a second to load, which every start of a service would pay for a page few open.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

import segno

if TYPE_CHECKING:
    from fpdf import FPDF

__all__ = ["FONTS_DIR", "sheet", "centred", "fitting_size", "qr_png"]

FONTS_DIR = Path(__file__).parent / "fonts"
#: family name → file; the first is the main font, the others fill in the scripts it lacks.
FONTS = {
    "noto-sans": "NotoSans-Regular.ttf",
    "noto-sans-arabic": "NotoSansArabic-Regular.ttf",
    "noto-sans-ethiopic": "NotoSansEthiopic-Regular.ttf",
}


def sheet(paper: str | tuple[float, float] = "A4") -> FPDF:
    """An empty document on ``paper`` (a name fpdf knows, A3 to A5, or width and height in mm), measured
    in millimetres, with every script's font loaded."""
    from fpdf import FPDF  # noqa: PLC0415 - see the module's docstring

    pdf = FPDF(format=paper, unit="mm")
    pdf.set_auto_page_break(False)
    pdf.set_creator("Brug")
    for family, filename in FONTS.items():
        pdf.add_font(family, fname=str(FONTS_DIR / filename))
    pdf.set_text_shaping(True)
    main, *fallbacks = FONTS
    pdf.set_fallback_fonts(fallbacks)
    pdf.set_font(main, size=11)
    pdf.set_draw_color(150)
    return pdf


def centred(pdf: FPDF, x: float, y: float, width: float, text: str, size: float) -> None:
    """One centred block of text. fpdf2 2.8 may leave the font of a line that starts in a
    fallback script inside a q…Q pair while believing it still set; so say it again each time."""
    pdf.current_font_is_set_on_page = False
    pdf.set_font_size(size)
    pdf.set_xy(x, y)
    pdf.multi_cell(width, size * 0.45, text, align="C", new_x="LMARGIN")


def fitting_size(pdf: FPDF, text: str, width: float, size: float) -> float:
    """The largest size up to ``size`` at which every line of ``text`` fits in ``width``."""
    pdf.set_font_size(size)
    widest = max(pdf.get_string_width(line) for line in text.splitlines())
    return size if widest <= width else size * width / widest


def qr_png(url: str) -> io.BytesIO:
    """``url`` as a QR code image (medium error correction: a creased or dim print still scans)."""
    image = io.BytesIO()
    segno.make(url, error="m", micro=False).save(image, kind="png", scale=4, border=4)
    image.seek(0)
    return image
