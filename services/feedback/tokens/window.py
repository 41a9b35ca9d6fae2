"""When a session's feedback window closes: BRUG_FEEDBACK_TOKEN_DAYS after its completion, on the
venue's clock.

Counted in UTC, a session completed at 19:00 in Amsterdam on 20 October had
its window close at 18:00 on 3 November (the clocks went back on 25
October), and one completed on 20 March at 20:00 on 3 April: cards printed
"until 19:00" stopped or went on an hour off. Counted on the venue's wall
clock, it closes at 19:00 both times. A session stored before its zone was
known (``timezone`` None) keeps the UTC count.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

__all__ = ["closes", "LATEST_SHIFT"]

#: the most a DST change moves a close from the UTC count (publisher queries widen by it).
LATEST_SHIFT = timedelta(hours=1)


def closes(completed_at: datetime, days: int, timezone: str | None) -> datetime:
    """``days`` after ``completed_at`` at the same time of day in ``timezone`` (in UTC, as stored)."""
    completed = completed_at if completed_at.tzinfo else completed_at.replace(tzinfo=UTC)
    if timezone is None:
        return completed + timedelta(days=days)
    zone = ZoneInfo(timezone)
    local = completed.astimezone(zone).replace(tzinfo=None) + timedelta(days=days)
    return local.replace(tzinfo=zone).astimezone(UTC)
