"""A month's statement as CSV: one row per entry and a totals row, for the coordinator's payroll.

The totals row names the month's cap: ``cap 170.00 EUR``, ``cap 150.00 EUR
(personal limit)`` for an ambassador's own lower limit, or ``no cap`` for one
not on social assistance.

Notes are free text typed by people; a cell that starts with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return would run as a formula in a
spreadsheet, so every cell passes shared.csvcells.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from scheduler.hours.schemas import EntryPublic, MonthTotals
from shared.csvcells import SafeWriter

__all__ = ["HEADER", "statement_csv"]

HEADER = ("date", "kind", "session_id", "hours", "travel_cost_eur", "allowance_eur", "note")


def _cap(totals: MonthTotals) -> str:
    if totals.cap is None:
        return "no cap (not on social assistance)"
    personal = " (personal limit)" if totals.cap_source == "personal" else ""
    return f"cap {totals.cap} EUR{personal}"


def statement_csv(entries: Sequence[EntryPublic], totals: MonthTotals) -> str:
    out = io.StringIO()
    writer = SafeWriter(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for e in entries:
        writer.writerow((e.date.isoformat(), e.kind, e.session_id or "", e.hours, e.travel_cost, e.allowance, e.note))
    summary = f"session {totals.session_hours} h, unpaid {totals.unpaid_hours} h, {_cap(totals)}"
    if totals.warning:
        summary = f"{summary}. {totals.warning}"
    hours = totals.session_hours + totals.unpaid_hours
    writer.writerow(("total", "", "", hours, totals.travel_cost, totals.allowance, summary))
    return out.getvalue()
