"""Reports as CSV: one row per figure, withheld ones written out as such, never as a number.

Every cell passes shared.csvcells, so no text in a report runs as a spreadsheet formula."""

from __future__ import annotations

import io
from typing import Any

from shared.csvcells import SafeWriter
from shared.released import WITHHELD

__all__ = ["to_csv"]


def _rows(prefix: str, value: Any, withheld: str) -> list[tuple[str, str]]:
    if isinstance(value, dict):
        return [
            row for key, inner in value.items() for row in _rows(f"{prefix}.{key}" if prefix else key, inner, withheld)
        ]
    if isinstance(value, list):
        return [(f"{prefix}.{i}", str(item)) for i, item in enumerate(value)]
    return [(prefix, withheld if value is None else str(value))]


def to_csv(report: dict[str, Any]) -> str:
    """``figure,value`` lines; ``withheld to protect small groups`` where a figure is withheld."""
    buffer = io.StringIO()
    writer = SafeWriter(buffer)
    writer.writerow(["figure", "value"])
    body = {k: v for k, v in report.items() if k != "comments"}
    writer.writerows(_rows("", body, WITHHELD))
    return buffer.getvalue()
