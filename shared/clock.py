"""The clock the services' rules about time read: what "now" is for them.

Rules that compare a session's time with now (no session planned, moved or
booked into the past; completion only once it has started; undoing a
completion only for a short while) ask ``settings.clock.now()``, never the
system clock directly, so tests can move time forward instead of sleeping.

In production the clock is the system's UTC clock and nothing can move it.
Tests move it two ways:

- a service in the test's own process: ``settings.clock.advance(timedelta(days=4))``, or
  ``settings.clock.set(moment)`` for tests written on fixed dates (the 2026 DST days);
- a service in a process of its own (tests/support/system.py): the setting
  ``BRUG_TEST_CLOCK_FILE`` names a file holding seconds to add to the system
  clock, read on every ``now()``; the test writes to it (:meth:`Clock.advance`
  on a clock reading the same file). The setting is refused at start unless
  ``BRUG_ENVIRONMENT=test`` (shared.settings), so a production service's
  clock cannot be moved by whoever can write a file.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

__all__ = ["Clock"]


class Clock:
    """The system's UTC clock, plus an offset only tests set (held here, or in ``offset_file``)."""

    def __init__(self, offset_file: str | Path | None = None) -> None:
        self._offset = timedelta(0)
        self._file = Path(offset_file) if offset_file else None

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    @property
    def offset(self) -> timedelta:
        if self._file is None:
            return self._offset
        text = self._file.read_text().strip() if self._file.exists() else ""
        return timedelta(seconds=float(text or 0))

    def set(self, moment: datetime) -> None:
        """Make it ``moment`` now on this clock (it runs on from there); tests only."""
        self.advance(moment - self.now())

    def advance(self, delta: timedelta) -> None:
        """Move this clock (and every process reading its file) ``delta`` forward; tests only."""
        offset = self.offset + delta
        if self._file is None:
            self._offset = offset
            return
        written = self._file.with_suffix(".tmp")
        written.write_text(str(offset.total_seconds()))
        written.replace(self._file)  # a reader sees the old offset or the new one, never half of it
