"""The monthly allowance cap: what an ambassador on social assistance may receive before the benefit is cut.

The cap is set by law and changes each year, so it is a setting
(``BRUG_ALLOWANCE_CAPS``, year → euro per month), never a constant; a year
missing from it is an error that names the year, not a silent default.

Each ambassador's account says how it applies to them (accounts.models.User):
``allowance_capped`` false means they receive no social assistance, so no cap
and no warning; a ``monthly_allowance_limit`` is a lower limit agreed with
their benefits office, and then the month's cap is the lower of the two
(:func:`month_cap`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field

from scheduler.errors import AllowanceCapMissing
from shared.i18n import N_

__all__ = [
    "Euro",
    "AllowanceCaps",
    "DEFAULT_ALLOWANCE_CAPS",
    "CENT",
    "cents",
    "cap_for",
    "CapSource",
    "MonthCap",
    "month_cap",
    "AllowanceWarning",
    "NO_CAP",
    "known_years",
    "cap_warning",
]

#: an amount of money in euro: exact cents, never negative, never a float.
Euro = Annotated[Decimal, Field(ge=0, max_digits=8, decimal_places=2)]
Year = Annotated[int, Field(ge=2000, le=2100)]
AllowanceCaps = dict[Year, Euro]

#: the cap the field report cites (EUR 170 a month); update the setting when the law changes.
DEFAULT_ALLOWANCE_CAPS: AllowanceCaps = {2026: Decimal("170.00")}

CENT = Decimal("0.01")


def cents(amount: Decimal) -> Decimal:
    """``amount`` with exactly two decimals, so every figure reads the same way (``12.50``)."""
    return amount.quantize(CENT)


#: the setting lacks the year: said to whoever must add it (an error from the API, a warning when planning).
NO_CAP = N_(
    'No monthly allowance cap is set for {year} (set for: {known}); add "{year}" with the legal amount in euro '
    'to the setting BRUG_ALLOWANCE_CAPS, e.g. {{"{year}": 170.00}}.'
)


def known_years(caps: AllowanceCaps) -> str:
    """The years the setting has a cap for, as a warning lists them."""
    return ", ".join(str(y) for y in sorted(caps)) or "none"


def cap_for(caps: AllowanceCaps, year: int) -> Decimal:
    """The monthly cap for ``year``; AllowanceCapMissing naming the year to add when there is none."""
    if year not in caps:
        raise AllowanceCapMissing(NO_CAP.format(year=year, known=known_years(caps)))
    return cents(caps[year])


#: where a month's cap comes from: the law (the setting), the ambassador's own lower limit, or nowhere.
CapSource = Literal["legal", "personal", "none"]


@dataclass(frozen=True)
class MonthCap:
    """The cap that holds for one ambassador in one month; ``amount`` None: no cap (source "none")."""

    amount: Decimal | None
    source: CapSource


def month_cap(caps: AllowanceCaps, year: int, *, capped: bool, personal_limit: Decimal | None) -> MonthCap:
    """The month's cap for an ambassador: none when not capped; else the legal cap for ``year``, or
    ``personal_limit`` when it is lower. AllowanceCapMissing (as :func:`cap_for`) only when capped."""
    if not capped:
        return MonthCap(None, "none")
    legal = cap_for(caps, year)
    if personal_limit is not None and cents(personal_limit) < legal:
        return MonthCap(cents(personal_limit), "personal")
    return MonthCap(legal, "legal")


@dataclass(frozen=True)
class AllowanceWarning:
    """A warning for whoever pays, kept as its message id and values so that a staff page can say it in
    its reader's language; ``str()`` is the English the API answers with."""

    message: str
    values: Mapping[str, object]
    #: whom it is about, said first (an ambassador's name when planning).
    about: str = ""

    def render(self, translate: Callable[[str], str] = str) -> str:
        said = translate(self.message).format(**self.values)
        return f"{self.about}: {said}" if self.about else said

    def __str__(self) -> str:
        return self.render()


#: each sentence whole for each kind of cap, so that a translation never has to fit a cap's name into it.
_OVER = {
    "legal": N_(
        "The allowance for {month} is EUR {allowance}, EUR {excess} over the monthly cap of EUR {cap}; "
        "paying it can cut the ambassador's benefit. Do not pay the excess."
    ),
    "personal": N_(
        "The allowance for {month} is EUR {allowance}, EUR {excess} over the personal monthly limit of "
        "EUR {cap}; paying it can cut the ambassador's benefit. Do not pay the excess."
    ),
}
_REACHED = {
    "legal": N_(
        "The allowance for {month} has reached the monthly cap of EUR {cap}; any further allowance this "
        "month can cut the ambassador's benefit."
    ),
    "personal": N_(
        "The allowance for {month} has reached the personal monthly limit of EUR {cap}; any further "
        "allowance this month can cut the ambassador's benefit."
    ),
}


def cap_warning(month: str, allowance: Decimal, cap: MonthCap) -> AllowanceWarning | None:
    """What the coordinator must read before paying, once the month's allowance reaches the cap (none: never)."""
    if cap.amount is None:
        return None
    if allowance > cap.amount:
        excess = cents(allowance - cap.amount)
        values = {"month": month, "allowance": cents(allowance), "excess": excess, "cap": cap.amount}
        return AllowanceWarning(_OVER[cap.source], values)
    if allowance == cap.amount:
        return AllowanceWarning(_REACHED[cap.source], {"month": month, "cap": cap.amount})
    return None
