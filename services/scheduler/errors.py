"""The scheduler's errors; each renders as {"error": <name>, "detail": <what to do>}.

BrugError
├── NotFound
│   ├── VenueNotFound, RoomNotFound, SessionNotFound
│   └── BookingNotFound   (also for a wrong manage token: indistinguishable)
├── Conflict
│   ├── SessionNotOpen    (booking or check-in on a closed or cancelled session)
│   └── AlreadyCheckedIn
└── Invalid
    └── CapacityTooLarge
"""

from shared.errors import Conflict, Invalid, NotFound


class VenueNotFound(NotFound):
    pass


class RoomNotFound(NotFound):
    pass


class SessionNotFound(NotFound):
    pass


class BookingNotFound(NotFound):
    pass


class SessionNotOpen(Conflict):
    pass


class AlreadyCheckedIn(Conflict):
    pass


class CapacityTooLarge(Invalid):
    pass
