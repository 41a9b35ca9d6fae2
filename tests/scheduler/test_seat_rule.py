"""The seat rule (scheduler.sessions.seats) and the registration path's reading of it agree."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from scheduler.bookings.seating import Seats
from scheduler.sessions import seats


@pytest.mark.parametrize(
    ("capacity", "confirmed", "group_seats", "left"),
    [(10, 0, 0, 10), (10, 4, 3, 3), (10, 7, 3, 0), (10, 9, 4, 0), (1, 0, 1, 0), (5, 5, 0, 0)],
)
def test_single_and_group_seats_share_one_capacity(capacity: int, confirmed: int, group_seats: int, left: int) -> None:
    assert seats.taken(confirmed, group_seats) == confirmed + group_seats
    assert seats.left(capacity, confirmed, group_seats) == left
    read = Seats("published", capacity, datetime.now(UTC), 0, "venue", confirmed, 2, group_seats)
    assert read.full is (left == 0)
