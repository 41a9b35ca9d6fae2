"""The monthly allowance cap: what an ambassador on social assistance may receive before the benefit is cut.

The cap is set by law and changes each year, so it is a setting
(``BRUG_ALLOWANCE_CAPS``, year → euro per month), never a constant; a year
missing from it is an error that names the year, not a silent default.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import Field

from scheduler.errors import AllowanceCapMissing

__all__ = ["Euro", "AllowanceCaps", "DEFAULT_ALLOWANCE_CAPS", "CENT", "cents", "cap_for", "cap_warning"]

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


def cap_for(caps: AllowanceCaps, year: int) -> Decimal:
    """The monthly cap for ``year``; AllowanceCapMissing naming the year to add when there is none."""
    if year not in caps:
        known = ", ".join(str(y) for y in sorted(caps)) or "none"
        raise AllowanceCapMissing(
            f'No monthly allowance cap is set for {year} (set for: {known}); add "{year}" with the legal '
            f'amount in euro to the setting BRUG_ALLOWANCE_CAPS, e.g. {{"{year}": 170.00}}.'
        )
    return cents(caps[year])


def cap_warning(month: str, allowance: Decimal, cap: Decimal) -> str | None:
    """What the coordinator must read before paying, once the month's allowance reaches the cap."""
    if allowance > cap:
        return (
            f"The allowance for {month} is EUR {cents(allowance)}, EUR {cents(allowance - cap)} over the "
            f"monthly cap of EUR {cap}; paying it can cut the ambassador's benefit. Do not pay the excess."
        )
    if allowance == cap:
        return (
            f"The allowance for {month} has reached the monthly cap of EUR {cap}; any further allowance "
            f"this month can cut the ambassador's benefit."
        )
    return None
