"""A proof-of-work challenge on registration while a session is being flooded (ALTCHA).

The per-client limits (scheduler.deps) stop one address; a script behind many
addresses (issue 16, item 2c) could still take every seat and the waiting list.
So a session that has had ``BRUG_ALTCHA_FLOOD_PER_HOUR`` registrations (default
20) in the last hour, counted in the database across every client and replica,
takes each further one only with a solved challenge; below that nothing is
asked, so people on basic phones are not slowed. 0 turns it off.

- The challenge is ALTCHA's (PyPI ``altcha``, its v2 format): PBKDF2-SHA-256,
  ``BRUG_ALTCHA_COST`` iterations per try, about 256 tries (a derived key that
  starts with one zero byte). It is signed with ``BRUG_ALTCHA_HMAC_KEY`` (unset:
  derived from the signing key), names its session in its signed ``data`` and
  expires after :data:`LIFETIME`. ``GET /api/v1/sessions/{id}/challenge`` gives
  one, to the page's widget and to API clients alike.
- The answer is the widget's payload (base64 JSON of the challenge and its
  solution) in the registration's ``altcha`` field, form or JSON. It is checked
  before the session's lock is taken (:func:`check`: signature, expiry, solution:
  one PBKDF2 run, about 3 ms), and under that lock (:func:`demand`) its session
  is compared and it is spent: a row in ``registration_challenge_spent`` keyed by
  a hash of its signature, deleted once it has expired (at the session's next
  spend). It is in the database, not in memory, because several scheduler
  processes may run: every registration for the session holds the same lock and
  the challenge names the session, so two uses of one solution cannot both pass,
  whichever process they reach.
- A flooded session without (or with a bad, expired, spent or foreign) solution:
  ``428 ChallengeRequired``, whose detail says what to do and where the challenge
  is. A retry with the same Idempotency-Key gets its first answer before anything
  is asked (the ``altcha`` field is not part of the registration's identity).
- The attendee page shows the widget (vendored from npm, served from /static)
  only while the session is flooded; it solves in a worker on submit. Without
  JavaScript the page says in the visitor's language that registering needs a
  moment of the phone's work right now, and whom to ask.

What it costs a flood: about 256 x cost PBKDF2 iterations per registration
(1.3 million at the default: 2 to 4 s of one core for altcha's Python solver on
the development machine; Chromium's workers took under a second); what it does
not stop: someone who pays that. The per-client limits still apply.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import altcha
from sqlmodel import Session

from scheduler.bookings import repository
from scheduler.errors import ChallengeRequired, SessionNotFound
from scheduler.sessions import repository as sessions
from scheduler.settings import SchedulerSettings
from shared.events import utcnow

__all__ = [
    "ALGORITHM",
    "LIFETIME",
    "Checked",
    "NOT_GIVEN",
    "issue",
    "for_session",
    "check",
    "demand",
    "flooded",
    "challenge_path",
]

ALGORITHM = "PBKDF2/SHA-256"
#: a challenge is taken this long after it was given (the widget fetches it when the form is sent).
LIFETIME = timedelta(minutes=10)
#: how far back registrations are counted.
WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class Checked:
    """What a registration's ``altcha`` field proved, found before the session's lock is taken."""

    #: the name the challenge is spent under, when the solution is right and in time.
    spend_key: str | None
    #: when the challenge expires (its spent row may go then).
    expires_at: datetime | None = None
    #: the session the challenge was given for.
    session_id: str | None = None
    #: why not, for the detail: "missing", "expired" or "invalid".
    problem: str = "missing"


NOT_GIVEN = Checked(None)


def challenge_path(session_id: str) -> str:
    return f"/api/v1/sessions/{session_id}/challenge"


def issue(session_id: str, settings: SchedulerSettings) -> dict[str, Any]:
    """A new challenge for ``session_id``, in the widget's JSON (``parameters`` and ``signature``)."""
    challenge = altcha.create_challenge(
        ALGORITHM,
        settings.altcha_cost,
        expires_at=int(time.time() + LIFETIME.total_seconds()),
        data={"session": session_id},
        hmac_secret=settings.altcha_hmac_secret,
    )
    return challenge.to_dict()


def for_session(db: Session, session_id: str, settings: SchedulerSettings) -> dict[str, Any]:
    """:func:`issue` for a session that exists (SessionNotFound otherwise)."""
    if sessions.get(db, session_id) is None:
        raise SessionNotFound(f"No session with id {session_id}.")
    return issue(session_id, settings)


def check(payload: str | None, settings: SchedulerSettings) -> Checked:
    """Whether ``payload`` solves a challenge Brug gave that has not expired (the session is compared
    under the lock, :func:`demand`)."""
    if not payload:
        return NOT_GIVEN
    try:
        parsed = altcha.Payload.from_base64(payload)
        result = altcha.verify_solution(parsed, settings.altcha_hmac_secret)
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return Checked(None, problem="invalid")
    if result.expired:
        return Checked(None, problem="expired")
    parameters = parsed.challenge.parameters
    if not result.verified or not isinstance(parameters.expires_at, int) or not isinstance(parameters.data, dict):
        return Checked(None, problem="invalid")  # Brug's challenges always expire and name their session
    return Checked(
        hashlib.sha256(str(parsed.challenge.signature).encode()).hexdigest(),
        datetime.fromtimestamp(parameters.expires_at, UTC),
        str(parameters.data.get("session")),
        problem="",
    )


def flooded(db: Session, session_id: str, settings: SchedulerSettings) -> bool:
    """Whether a registration for this session needs a solved challenge now."""
    if settings.altcha_flood_per_hour <= 0:
        return False
    since = utcnow() - WINDOW
    return repository.registrations_since(db, session_id, since) >= settings.altcha_flood_per_hour


_DETAILS = {
    "missing": "Many registrations reach this meeting right now, so each one must carry a solved "
    "proof-of-work challenge.",
    "expired": "The solved challenge has expired.",
    "spent": "This solved challenge was already used for a registration; each works once.",
    "foreign": "This solved challenge was given for another meeting.",
    "invalid": "The altcha field does not hold a solution to a challenge Brug gave.",
}
_HOW = (
    " Get a new challenge at GET {path}, solve it (an ALTCHA v2 challenge: the ALTCHA widget, or "
    "altcha.solve_challenge in Python) and send the widget's base64 payload as the altcha field of "
    "the registration."
)


def demand(db: Session, session_id: str, checked: Checked, settings: SchedulerSettings) -> None:
    """With the session locked: when it is flooded, spend the registration's solution or raise
    :class:`ChallengeRequired`. Below the threshold nothing is asked and nothing is spent."""
    if not flooded(db, session_id, settings):
        return
    if checked.spend_key is None or checked.expires_at is None:
        problem = checked.problem
    elif checked.session_id != session_id:
        problem = "foreign"
    else:
        repository.forget_spent(db, session_id, utcnow())
        if repository.spend(db, session_id, checked.spend_key, checked.expires_at):
            return
        problem = "spent"
    raise ChallengeRequired(_DETAILS[problem] + _HOW.format(path=challenge_path(session_id)))
