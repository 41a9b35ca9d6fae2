"""The report page's filters (dates, language, audience), read from its query string.

Dates are whole days on the Dutch clock, both ends included, as a person
reads "from 1 to 31 December"; the report functions take [start, end) in
UTC-aware datetimes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from shared.events import Audience

__all__ = ["Filters", "read_filters", "ZONE"]

ZONE = ZoneInfo("Europe/Amsterdam")
_EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
_LATEST = datetime(2100, 1, 1, tzinfo=UTC)
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
AUDIENCES: tuple[str, ...] = tuple(Audience)


@dataclass(frozen=True)
class Filters:
    start: date | None = None
    end: date | None = None
    language: str | None = None
    audience: str | None = None
    #: the fields that could not be read (and were left out), by name.
    invalid: tuple[str, ...] = ()

    @property
    def window(self) -> tuple[datetime, datetime]:
        """[start, end) for the report functions: from the first day's midnight to after the last day."""
        start = datetime.combine(self.start, time(0), ZONE) if self.start else _EARLIEST
        end = datetime.combine(self.end + timedelta(days=1), time(0), ZONE) if self.end else _LATEST
        return start, end

    def query(self) -> str:
        """The filters as a query string (for the CSV link), empty when there are none."""
        pairs = {
            "from": self.start.isoformat() if self.start else None,
            "to": self.end.isoformat() if self.end else None,
            "language": self.language,
            "audience": self.audience,
        }
        given = {k: v for k, v in pairs.items() if v}
        return f"?{urlencode(given)}" if given else ""


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def read_filters(start: str | None, end: str | None, language: str | None, audience: str | None) -> Filters:
    """The filters a person chose; anything that cannot be read is named in ``invalid`` and ignored."""
    invalid: list[str] = []
    days: dict[str, date | None] = {}
    for name, text in (("from", start), ("to", end)):
        try:
            days[name] = _day((text or "").strip() or None)
        except ValueError:
            days[name] = None
            invalid.append(name)
    language = (language or "").strip() or None
    if language and not _LANGUAGE.match(language):
        invalid.append("language")
        language = None
    audience = (audience or "").strip() or None
    if audience and audience not in AUDIENCES:
        invalid.append("audience")
        audience = None
    if days["from"] and days["to"] and days["to"] < days["from"]:
        invalid.append("to")
        days["to"] = None
    return Filters(days["from"], days["to"], language, audience, tuple(invalid))
