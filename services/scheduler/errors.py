"""The scheduler's errors; each renders as {"error": <name>, "detail": <what to do>}.

BrugError
├── NotFound
│   ├── VenueNotFound, RoomNotFound, SessionNotFound, ProviderNotFound, UserNotFound
│   ├── BookingNotFound   (also for a wrong manage token: indistinguishable)
│   └── GroupBookingNotFound
├── Conflict
│   ├── SessionNotOpen    (booking, check-in or change on a closed or cancelled session)
│   ├── SessionNotStarted (completing a session before its start; names the start)
│   ├── BookingsClosed    (registering once the session has started; names the start)
│   ├── CompletionNotUndoable (undoing a completion that is not one, or past BRUG_COMPLETION_UNDO_MINUTES)
│   ├── SessionClash      (the room or an ambassador is taken then; names the other session)
│   ├── AlreadyCheckedIn
│   ├── BookingAlreadyCancelled, GroupAlreadyCancelled
│   ├── NotEnoughSeats    (a group booking larger than the seats left; says how many are)
│   ├── WaitlistFull      (a full session whose waiting list holds BRUG_WAITLIST_MAX already)
│   ├── CapacityBelowSeatsTaken (a session's capacity lowered below the seats already taken; says how many are)
│   ├── NothingPlanned    (a series none of whose dates could be planned; names each date's reason)
│   ├── EmailTaken, ProviderNameTaken
│   ├── ProviderDeactivated (a new session or staff account for a provider a coordinator deactivated)
│   ├── ProviderHasSessionsAhead (deactivating a provider that still co-runs published sessions ahead)
│   ├── HoursAlreadyLogged (an ambassador's hours for one session are logged, and paid, once)
│   └── LastCoordinator   (deactivating the only active coordinator would lock everyone out)
├── Invalid
│   ├── CapacityTooLarge
│   ├── OutsideOpeningHours (the venue is closed then; says the day's hours)
│   ├── NothingToChange   (a move to the time, room and venue the session already has)
│   ├── TitleNotInLanguages (a title per language for a locale the session's languages no longer have; names it)
│   ├── AddressNotHidden  (a venue change after which a hidden address would still show; names the field)
│   ├── EndsBeforeStart   (a reschedule whose new times are the wrong way round)
│   ├── NotWhenPlannable  (a start in the past or beyond the planning horizon, or a session too long; names the field)
│   ├── IdempotencyKeyReused (the same Idempotency-Key with a different booking)
│   ├── NotAnAmbassador   (a session or an hours entry names someone who is not an ambassador)
│   ├── NotOnSession      (a coordinator logs session hours for an ambassador not named on it)
│   ├── AllowanceCapMissing (BRUG_ALLOWANCE_CAPS has no cap for that year; names the year to add)
│   ├── NotForThisAccount (an account change that does not fit its role or its other settings; names the field)
│   ├── SeriesTooLong     (a recurrence that gives more sessions than one request may plan)
│   ├── TooManyPresent    (a group check-in counting more people than the group booked)
│   └── PhoneNotTextable  (not a mobile number of BRUG_SMS_COUNTRIES; in the attendee's language)
├── ChallengeRequired (428: a flooded session takes a registration only with a solved challenge; says where)
├── Unauthenticated (shared.auth; 401)
│   ├── InvalidCredentials  (the same for an unknown e-mail address and a wrong password)
│   └── AccountDeactivated
└── Forbidden (shared.auth; 403)
    ├── NotYourSession    (another ambassador's session, or another provider's)
    ├── NotYourHours      (another ambassador's hours)
    └── WrongCurrentPassword (a password change whose current password is wrong; counted as a wrong sign-in)
"""

from shared.auth import Forbidden, Unauthenticated
from shared.errors import BrugError, Conflict, Invalid, NotFound


class VenueNotFound(NotFound):
    pass


class RoomNotFound(NotFound):
    pass


class SessionNotFound(NotFound):
    pass


class BookingNotFound(NotFound):
    pass


class ProviderNotFound(NotFound):
    pass


class UserNotFound(NotFound):
    pass


class SessionNotOpen(Conflict):
    pass


class SessionNotStarted(Conflict):
    pass


class BookingsClosed(Conflict):
    pass


class CompletionNotUndoable(Conflict):
    pass


class NotWhenPlannable(Invalid):
    pass


class SessionClash(Conflict):
    pass


class AlreadyCheckedIn(Conflict):
    pass


class BookingAlreadyCancelled(Conflict):
    pass


class EmailTaken(Conflict):
    pass


class ProviderNameTaken(Conflict):
    pass


class ProviderDeactivated(Conflict):
    pass


class ProviderHasSessionsAhead(Conflict):
    pass


class LastCoordinator(Conflict):
    pass


class HoursAlreadyLogged(Conflict):
    pass


class GroupBookingNotFound(NotFound):
    pass


class GroupAlreadyCancelled(Conflict):
    pass


class NotEnoughSeats(Conflict):
    pass


class WaitlistFull(Conflict):
    pass


class CapacityBelowSeatsTaken(Conflict):
    pass


class NothingPlanned(Conflict):
    pass


class SeriesTooLong(Invalid):
    pass


class TooManyPresent(Invalid):
    pass


class PhoneNotTextable(Invalid):
    pass


class CapacityTooLarge(Invalid):
    pass


class NotAnAmbassador(Invalid):
    pass


class NotOnSession(Invalid):
    pass


class AllowanceCapMissing(Invalid):
    pass


class NotForThisAccount(Invalid):
    pass


class OutsideOpeningHours(Invalid):
    pass


class NothingToChange(Invalid):
    pass


class TitleNotInLanguages(Invalid):
    pass


class AddressNotHidden(Invalid):
    pass


class EndsBeforeStart(Invalid):
    pass


class IdempotencyKeyReused(Invalid):
    pass


class ChallengeRequired(BrugError):
    """428 Precondition Required: the registration must carry a solved proof-of-work challenge."""

    status_code = 428


class InvalidCredentials(Unauthenticated):
    pass


class AccountDeactivated(Unauthenticated):
    pass


class NotYourSession(Forbidden):
    pass


class NotYourHours(Forbidden):
    pass


class WrongCurrentPassword(Forbidden):
    pass
