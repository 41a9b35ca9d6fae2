"""The printable sheet: A4, ten cut-out cards, each a QR code, a typed code and the public title.

Nothing on a card names the session's topic or a person: the discreet
public title, the code, and where to type it. Fonts are embedded (Noto
Sans, Noto Sans Arabic, Noto Sans Ethiopic; SIL OFL, ``fonts/OFL.txt``), and
text is shaped by HarfBuzz, so Arabic joins and runs right to left and Ge'ez
and Cyrillic print as written, whatever the printer has installed.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import segno

if TYPE_CHECKING:
    from fpdf import FPDF

__all__ = ["Card", "render_cards", "FONTS_DIR", "CARDS_PER_PAGE"]

FONTS_DIR = Path(__file__).parent / "fonts"
#: family name → file; the first is the main font, the others fill in the scripts it lacks.
FONTS = {
    "noto-sans": "NotoSans-Regular.ttf",
    "noto-sans-arabic": "NotoSansArabic-Regular.ttf",
    "noto-sans-ethiopic": "NotoSansEthiopic-Regular.ttf",
}
COLUMNS, ROWS = 2, 5
CARDS_PER_PAGE = COLUMNS * ROWS
MARGIN = 10.0  # mm
QR_SIZE = 36.0  # mm: large enough for an old phone camera at arm's length


@dataclass(frozen=True)
class Card:
    url: str  # what the QR code holds
    code: str  # what a person types, grouped for reading
    title: str
    entry: str  # where to type the code


def _sheet() -> FPDF:
    # imported when a sheet is printed: fpdf and its font tools take a quarter of a second to load,
    # which every start of the service paid for a page few open
    from fpdf import FPDF  # noqa: PLC0415

    pdf = FPDF(format="A4", unit="mm")
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


def _text(pdf: FPDF, x: float, y: float, width: float, text: str, size: float) -> None:
    """One centred block of text. fpdf2 2.8 may leave the font of a line that starts in a
    fallback script inside a q…Q pair while believing it still set; so say it again each time."""
    pdf.current_font_is_set_on_page = False
    pdf.set_font_size(size)
    pdf.set_xy(x, y)
    pdf.multi_cell(width, size * 0.45, text, align="C", new_x="LMARGIN")


def _fitting_size(pdf: FPDF, text: str, width: float, size: float) -> float:
    """The largest size up to ``size`` at which every line of ``text`` fits in ``width``."""
    pdf.set_font_size(size)
    widest = max(pdf.get_string_width(line) for line in text.splitlines())
    return size if widest <= width else size * width / widest


def _qr_png(url: str) -> io.BytesIO:
    image = io.BytesIO()
    segno.make(url, error="m", micro=False).save(image, kind="png", scale=4, border=4)
    image.seek(0)
    return image


def _card(pdf: FPDF, card: Card, x: float, y: float, width: float, height: float) -> None:
    pdf.set_dash_pattern(dash=2, gap=2)
    pdf.rect(x, y, width, height)  # the cutting line
    pdf.set_dash_pattern()
    pdf.image(_qr_png(card.url), x=x + 3, y=y + (height - QR_SIZE) / 2, w=QR_SIZE, h=QR_SIZE)
    text_x, text_width = x + QR_SIZE + 6, width - QR_SIZE - 9
    _text(pdf, text_x, y + 5, text_width, card.title, 13)
    code_size = _fitting_size(pdf, card.code, text_width - 2, 11)  # each line of the code on one line
    _text(pdf, text_x, max(y + 21, pdf.get_y() + 3), text_width, card.code, code_size)  # below a long title
    _text(pdf, text_x, y + height - 12, text_width, card.entry, 8)


def render_cards(cards: Sequence[Card]) -> bytes:
    """The sheet as PDF bytes: ten cards a page, in the order given."""
    pdf = _sheet()
    width = (pdf.w - 2 * MARGIN) / COLUMNS
    height = (pdf.h - 2 * MARGIN) / ROWS
    for index, card in enumerate(cards):
        if index % CARDS_PER_PAGE == 0:
            pdf.add_page()
        slot = index % CARDS_PER_PAGE
        _card(pdf, card, MARGIN + (slot % COLUMNS) * width, MARGIN + (slot // COLUMNS) * height, width, height)
    return bytes(pdf.output())
