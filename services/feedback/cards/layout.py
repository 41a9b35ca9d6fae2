"""The printable sheet: A4, ten cut-out cards, each a QR code, a typed code and the public title.

Nothing on a card names the session's topic or a person: the discreet
public title, the code, and where to type it. Fonts and script shaping: shared.printing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from shared.printing import centred, fitting_size, qr_png, sheet

if TYPE_CHECKING:
    from fpdf import FPDF

__all__ = ["Card", "render_cards", "CARDS_PER_PAGE"]

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


def _card(pdf: FPDF, card: Card, x: float, y: float, width: float, height: float) -> None:
    pdf.set_dash_pattern(dash=2, gap=2)
    pdf.rect(x, y, width, height)  # the cutting line
    pdf.set_dash_pattern()
    pdf.image(qr_png(card.url), x=x + 3, y=y + (height - QR_SIZE) / 2, w=QR_SIZE, h=QR_SIZE)
    text_x, text_width = x + QR_SIZE + 6, width - QR_SIZE - 9
    centred(pdf, text_x, y + 5, text_width, card.title, 13)
    code_size = fitting_size(pdf, card.code, text_width - 2, 11)  # each line of the code on one line
    centred(pdf, text_x, max(y + 21, pdf.get_y() + 3), text_width, card.code, code_size)  # below a long title
    centred(pdf, text_x, y + height - 12, text_width, card.entry, 8)


def render_cards(cards: Sequence[Card]) -> bytes:
    """The sheet as PDF bytes: ten cards a page, in the order given."""
    pdf = sheet("A4")
    width = (pdf.w - 2 * MARGIN) / COLUMNS
    height = (pdf.h - 2 * MARGIN) / ROWS
    for index, card in enumerate(cards):
        if index % CARDS_PER_PAGE == 0:
            pdf.add_page()
        slot = index % CARDS_PER_PAGE
        _card(pdf, card, MARGIN + (slot % COLUMNS) * width, MARGIN + (slot // COLUMNS) * height, width, height)
    return bytes(pdf.output())
