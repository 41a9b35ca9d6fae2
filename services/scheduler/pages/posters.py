"""A session's poster (A4) and flyer (A6): what an ambassador pins up in a language café or hands out.

They say what the session's page says to someone not yet registered, in each of the session's
languages (up to four on a poster, three on a flyer): the public title, the sentence the page opens
with, the day and hours, the place as it may be shown today (shared with the page: before the venue's
release time only its neighbourhood and city, never the street address), and a QR code of the page,
where people register. Nothing else: no topic, provider or audience, and no sensitive word (the
titles passed the discretion check when they were saved; every other text is the attendee catalog's).
"""

from __future__ import annotations

from dataclasses import dataclass

from scheduler.pages.views import SessionFacts
from shared.formats import format_day, format_hours, format_items, language_name
from shared.i18n import translate
from shared.printing import centred, qr_png, sheet
from shared.titles import locales_of, title_for

__all__ = ["Paper", "POSTER", "FLYER", "Side", "sides_of", "render"]

#: the attendee catalog's texts (shared/locales), translated in every language Brug speaks
TAGLINE = "A free meeting in a small group. What is said here stays here."
REGISTER = "Register"
NO_ACCOUNT = "Free and confidential. You do not need an account."


@dataclass(frozen=True)
class Paper:
    """A sheet's size and its type sizes (points) and QR code (mm)."""

    size: tuple[float, float]  # mm
    languages: int  # at most this many languages' titles
    title: float
    other_title: float
    tagline: float
    when: float
    place: float
    qr: float
    small: float


POSTER = Paper((210, 297), languages=4, title=30, other_title=20, tagline=12, when=18, place=14, qr=90, small=10)
FLYER = Paper((105, 148), languages=3, title=16, other_title=11, tagline=7, when=10, place=8, qr=45, small=6)


@dataclass(frozen=True)
class Side:
    """One language's lines: the session's title in it, the tagline and "Register"."""

    locale: str
    title: str
    tagline: str
    register: str


def sides_of(facts: SessionFacts, public_title: str, public_titles: dict[str, str] | None) -> list[Side]:
    """One side per supported language of the session, in its order (English when it has none)."""
    locales = locales_of(facts.languages) or ["en"]
    return [
        Side(
            locale,
            title_for(locale, public_title, public_titles, facts.languages),
            translate(locale, TAGLINE),
            translate(locale, REGISTER),
        )
        for locale in locales
    ]


def _place(facts: SessionFacts) -> str:
    where = facts.address or ", ".join(part for part in (facts.neighbourhood, facts.city) if part)
    return f"{facts.place}\n{where}" if where and where != facts.place else facts.place


def render(paper: Paper, facts: SessionFacts, sides: list[Side], url: str) -> bytes:
    """The sheet as PDF bytes; ``url`` is the session's page, in the QR code and written under it."""
    pdf = sheet(paper.size)
    pdf.add_page()
    scale = pdf.w / 210
    margin, width = 12 * scale, pdf.w - 24 * scale
    shown = sides[: paper.languages]
    first = shown[0].locale
    y = margin
    for index, side in enumerate(shown):
        centred(pdf, margin, y, width, side.title, paper.title if index == 0 else paper.other_title)
        centred(pdf, margin, pdf.get_y() + 1.5 * scale, width, side.tagline, paper.tagline)
        y = pdf.get_y() + 5 * scale
    day = format_day(facts.starts_at, facts.timezone, first)
    when = f"{day}\n{format_hours(facts.starts_at, facts.ends_at, facts.timezone)}"
    centred(pdf, margin, y + 2 * scale, width, when, paper.when)
    centred(pdf, margin, pdf.get_y() + 3 * scale, width, _place(facts), paper.place)
    names = (language_name(code, first) or code for code in facts.languages)
    centred(pdf, margin, pdf.get_y() + 2 * scale, width, format_items(names, first), paper.small)
    # the QR code low on the sheet, above the lines under it; smaller when long titles leave less room
    below = 26 * scale
    top = max(pdf.get_y() + 5 * scale, pdf.h - margin - paper.qr - below)
    size = min(paper.qr, pdf.h - margin - below - top)
    pdf.image(qr_png(url), x=(pdf.w - size) / 2, y=top, w=size, h=size)
    centred(pdf, margin, top + size + 1.5 * scale, width, " · ".join(side.register for side in shown), paper.place)
    centred(pdf, margin, pdf.get_y() + 1 * scale, width, url, paper.small)
    centred(pdf, margin, pdf.get_y() + 2 * scale, width, translate(first, NO_ACCOUNT), paper.small)
    return bytes(pdf.output())
